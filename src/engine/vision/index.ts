/**
 * Vision priors: cameras and projection, CLIP embeddings, per-surface material and roughness
 * priors, priors files, the embedding → parameter translator.
 */
export * from './camera.ts';
export * from './classTextures.ts';
export * from './clipEmbedder.ts';
export * from './loadViews.ts';
export * from './matching.ts';
export * from './patches.ts';
export * from './priorsFile.ts';
export * from './rayRender.ts';
export * from './roughness.ts';
export * from './surfacePriors.ts';
export * from './syntheticRoom.ts';
export * from './transfer.ts';
export * from './translatorPriors.ts';
export * from './viewCheck.ts';
export * from './visibility.ts';
export * from './vocabulary.ts';
