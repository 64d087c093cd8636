/** Provisions a simulated fleet through the app's credential store and runs it to completion. */
import type { FastifyInstance } from 'fastify';
import { Simulator, fleet, type SimulatorOptions, type SimulatorStats } from '../../src/services/simulator.js';

export async function provisionFleet(app: FastifyInstance, cars: number, seed: number, anomalyRate = 0): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const car of fleet(cars, seed, anomalyRate)) tokens.set(car.vin, await app.iot.credentials.addVehicle(car.vin));
  return tokens;
}

/** Runs a fleet with the given tokens until every car sent its messages (or `timeoutMs`). */
export async function runFleet(opts: SimulatorOptions, timeoutMs = 60_000): Promise<SimulatorStats> {
  const sim = new Simulator(opts);
  const timer = setTimeout(() => void sim.stop(), timeoutMs);
  try {
    return await sim.run();
  } finally {
    clearTimeout(timer);
  }
}
