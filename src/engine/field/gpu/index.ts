/** WebGPU field evaluation and exact material derivatives (see fieldGpu.ts for layout and precision). */
export {
  evaluateLinksGpu,
  evaluateLinksJacobianGpu,
  evaluateLinksWithGradientGpu,
  evaluatePathsGpu,
  evaluatePathsJacobianGpu,
  evaluatePathsWithGradientGpu,
  type FieldGpuStats,
  type FieldLink,
} from './fieldGpu.ts';
