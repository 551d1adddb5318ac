/**
 * Every command's usage line, in a module of its own that imports nothing: `rftwin --help` and
 * `rftwin <command> --help` print these without loading any command or the engine (start-up).
 */
export const INPUT_USAGE = '[--limit NAME=N …] [--allow-outside]';

export const CHANNEL_USAGE =
  '[--max-depth N] [--no-los] [--no-specular] [--no-transmission] [--no-scattering] [--no-diffraction] ' +
  '[--rays N] [--scattering-rays N] [--material-model slab|halfspace] [--pattern iso|dipole|hw_dipole|tr38901] ' +
  '[--polarization V|H|+45|-45] [--scattering-pattern lambertian|directive:αR|backscattering:αR,αI,Λ] ' +
  '[--tx-power-dbm P] [--backend cpu|webgpu|auto]';

/** arrays, codebooks and link budget of beam links and maps (src/engine/beams/spec.ts CODEBOOK_SYNTAX) */
export const BEAM_USAGE =
  '--tx-array NYxNZ --rx-array NYxNZ [--spacing 0.5] --codebook dft | sectors:K | horns:K[:BEAMWIDTH_DEG] | steer:x,y,z | FILE.json [--tx-codebook …] [--rx-codebook …] ' +
  '[--tx-orientation yaw,pitch,roll] [--rx-orientation yaw,pitch,roll] [--noise-figure-db F] [--bandwidth-hz B] [--mac-efficiency e] [--search exhaustive|hierarchical]';

/** threads of the CLI's worker pool (src/cli/workerPool.ts) */
export const THREADS_USAGE = '[--threads N]';

export const USAGE = {
  info: `rftwin info <scene> [--frequency Hz] [--extrapolate] [--json] ${INPUT_USAGE}`,
  trace: `rftwin trace --scene S --frequency HZ --tx x,y,z (--rx x,y,z … | --rx-file rx.csv [--chunk i/K]) ${CHANNEL_USAGE} ${THREADS_USAGE} [--extrapolate] [--out file [--force]] ${INPUT_USAGE}`,
  priors:
    'rftwin priors --scene S --images transforms.json [--model ID|PATH] [--candidates list] [--frequency Hz] [--extrapolate] [--offline] [--max-crops N] [--translator translator.json] --out priors.json [--force] ' +
    INPUT_USAGE,
  synth: `rftwin synth --scene S --frequency HZ --materials truth.json --tx x,y,z [--tx …] --rx-file rx.csv [--noise-db σ] [--noise-ns σ] [--seed n] --out soundings.csv|.json ${CHANNEL_USAGE} [--extrapolate] [--force] ${INPUT_USAGE}`,
  calibrate: `rftwin calibrate --scene S --frequency HZ --soundings F [--params conductivity,relative_permittivity,scattering_coefficient] [--loss smape|nae|paths] [--optimizer lm|adam] [--init itu|uniform|random|FILE] [--truth truth.json] [--max-iterations N] [--out result.json] [--materials id,…] [--per-object] [--learning-rate r] [--prior-std s] [--max-relative-std F] [--seed n] ${CHANNEL_USAGE} [--extrapolate] [--max-links N] [--force] ${INPUT_USAGE}`,
  plan: `rftwin plan --scene S --frequency HZ --tx x,y,z [--tx …] --candidates rx.csv --count N [--params …] [--metrics coherent_gain_db,path_gain_db,rms_delay_spread_ns] [--noise-db σ] [--noise-ns σ] [--seed n] --out chosen.csv ${CHANNEL_USAGE} [--extrapolate] [--force] ${INPUT_USAGE}`,
  radiomap:
    'rftwin radiomap --scene S --frequency HZ --tx x,y,z [--tx x,y,z … --best-server] --plane z=1.5 [--bounds xmin,ymin,xmax,ymax] --cell 0.25 ' +
    `[--metric path-gain|coherent-gain|delay-spread|k-factor|angular-spread|serving-tx|best-beam|snr|mcs|throughput] [--range pLOW,pHIGH|MIN,MAX] [beam maps: ${BEAM_USAGE}] ${CHANNEL_USAGE} [--batch CELLS] ${THREADS_USAGE} [--tiles K --tile i] [--extrapolate] --out map.json [--png map.png] [--csv map.csv] [--force] ${INPUT_USAGE}`,
  translator:
    'rftwin translator --priors A-priors.json --calibrated A-calibration.json [--priors B-priors.json --calibrated B-calibration.json …] [--epochs N] [--hidden N] [--seed n] --out translator.json [--force] ' +
    INPUT_USAGE,
  merge: `rftwin merge PARTS… --out out.json [--png map.png] [--csv map.csv] [--metric M] [--range pLOW,pHIGH|MIN,MAX] [--force] ${INPUT_USAGE}  (the tiles of rftwin radiomap --tiles K --tile i, or the chunks of rftwin trace --chunk i/K)`,
  slurm:
    'rftwin slurm radiomap|trace|calibrate-batch --tasks K --dir JOBDIR [--partition P] [--time T] [--cpus-per-task C] [--mem M] [--account A] (--submit | --dry-run) [--force] ARGS…  ' +
    '(ARGS: the radiomap or trace arguments, --out included; calibrate-batch: --jobs FILE, one line of rftwin calibrate arguments per task)',
  timeline: `rftwin timeline --scene S --frequency HZ --tx x,y,z --rx x,y,z --actors actors.jsonl [--dt 0.05] [--start T0] [--duration T] [--mode incremental|full] [--measured trace.csv [--fit ACTOR [--fit-materials skin,absorber,metal] [--trace-noise-db 1] [--fit-out fit.json]]] ${CHANNEL_USAGE} [--extrapolate] [--out timeline.jsonl [--force]] ${INPUT_USAGE}`,
  beams: `rftwin beams --scene S --frequency HZ --tx x,y,z [--tx …] --rx-file rx.csv ${BEAM_USAGE} [--matrix] [--materials m.json] ${CHANNEL_USAGE} [--extrapolate] --out beams.json [--force] ${INPUT_USAGE}`,
} as const;

export type CommandName = keyof typeof USAGE;
