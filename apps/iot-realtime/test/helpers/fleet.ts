/** Provisions a simulated fleet through the app's credential store and runs it to completion. */
import type { FastifyInstance } from 'fastify';
import { Simulator, fleet, type SimulatorOptions, type SimulatorStats } from '../../src/services/simulator.js';

export async function provisionFleet(app: FastifyInstance, cars: number, seed: number, anomalyRate = 0): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const car of fleet(cars, seed, anomalyRate)) tokens.set(car.vin, await app.iot.credentials.addVehicle(car.vin));
  return tokens;
}

export async function runFleet(app: FastifyInstance, opts: Omit<SimulatorOptions, 'tokens'> & { tokens?: Map<string, string> }, timeoutMs = 60_000): Promise<SimulatorStats> {
  const tokens = opts.tokens ?? (await provisionFleet(app, opts.cars, opts.seed ?? 1, opts.anomalyRate ?? 0));
  const sim = new Simulator({ ...opts, tokens });
  const timer = setTimeout(() => void sim.stop(), timeoutMs);
  try {
    return await sim.run();
  } finally {
    clearTimeout(timer);
  }
}
