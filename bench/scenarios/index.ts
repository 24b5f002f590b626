// Every scenario, in the order `npm run bench` runs them.
import { connections } from './connections.ts';
import { fanOut } from './fan-out.ts';
import { latency } from './latency.ts';
import { many } from './many.ts';
import { rooms } from './rooms.ts';
import type { Scenario, ScenarioName } from './spec.ts';
import { webFanOut } from './web-fan-out.ts';
import { clusterFanOut, clusterLatency } from './cluster.ts';

export const SCENARIOS: readonly Scenario[] = [fanOut, latency, many, rooms, connections, webFanOut, clusterFanOut, clusterLatency];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.name === (name as ScenarioName));
}
