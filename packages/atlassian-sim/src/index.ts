export {
  createSimulator,
  listenSimulator,
  type Simulator,
  type RunningSimulator,
  type SimulatorOptions,
  type SimulatorDescription,
} from './simulator.ts';
export { PRESETS, PRESET_NAMES, type PresetName, type PresetSizes } from './world/presets.ts';
export type { ScenarioFile } from './world/scenario-file.ts';
