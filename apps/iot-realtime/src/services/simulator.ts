/**
 * The fleet simulator: N cars as real MQTT clients with their own credentials, each publishing
 * its telemetry every `intervalMs` (or as fast as acknowledgements allow when 0), with a retained
 * online status and an offline will. Typed events report progress; the CLI prints them.
 */
import { EventEmitter } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';
import { encodeTelemetry, topics, type VehicleStatus } from '@ecars/telemetry';
import { createCar, tick, type CarState } from './car-model.js';

/** Options of {@link Simulator}. */
export interface SimulatorOptions {
  /** Broker URL: `mqtt://host:port` or `ws://host:port/mqtt`. */
  brokerUrl: string;
  /** Number of cars. */
  cars: number;
  /** Time between two readings of one car, ms; 0 = as fast as acknowledgements allow. @defaultValue 1000 */
  intervalMs?: number;
  /** Stop after this many seconds. @defaultValue no limit (stop() ends the run) */
  durationS?: number;
  /** Stop each car after this many readings (tests use it to send an exact count). @defaultValue no limit */
  messagesPerCar?: number;
  /** Share of cars with the battery-drain anomaly, 0…1. @defaultValue 0.05 */
  anomalyRate?: number;
  /** PRNG seed: the same seed gives the same fleet and readings. @defaultValue 1 */
  seed?: number;
  /** MQTT QoS of telemetry. @defaultValue 1 */
  qos?: 0 | 1;
  /** Unacknowledged QoS 1 readings per car when intervalMs is 0. @defaultValue 16 */
  window?: number;
  /** Device tokens by VIN (from a token file or provisioning). */
  tokens: ReadonlyMap<string, string>;
  /**
   * First `seq` of every car. A real car keeps its counter across restarts; the simulator starts
   * from the clock (ms) so a second run never reuses (vin, seq) pairs of the first (which would be
   * deduplicated away). @defaultValue Date.now()
   */
  seqStart?: number;
  /** Connections opened at once (a thundering herd of CONNECTs helps nobody). @defaultValue 50 */
  connectConcurrency?: number;
}

export interface SimulatorStats {
  cars: number;
  connected: number;
  sent: number;
  acked: number;
  errors: number;
  anomalous: string[];
  elapsedMs: number;
}

export interface SimulatorEvents {
  connected: [vin: string];
  carError: [vin: string, error: Error];
  done: [stats: SimulatorStats];
}

/** The VINs of a fleet, without connecting (to provision them first). */
export function fleet(cars: number, seed = 1, anomalyRate = 0.05): CarState[] {
  return Array.from({ length: cars }, (_, i) => createCar(seed, i, anomalyRate));
}

export class Simulator extends EventEmitter<SimulatorEvents> {
  readonly cars: CarState[];
  readonly #clients = new Map<string, MqttClient>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;
  #started = 0;
  #finished = 0;
  readonly stats: SimulatorStats;
  #done: Promise<SimulatorStats> | null = null;
  #resolveDone: ((s: SimulatorStats) => void) | null = null;

  constructor(private readonly opts: SimulatorOptions) {
    super();
    this.cars = fleet(opts.cars, opts.seed ?? 1, opts.anomalyRate ?? 0.05);
    const seqStart = opts.seqStart ?? Date.now();
    for (const car of this.cars) car.seq = seqStart;
    this.stats = { cars: opts.cars, connected: 0, sent: 0, acked: 0, errors: 0, anomalous: this.cars.filter((c) => c.anomalous).map((c) => c.vin), elapsedMs: 0 };
  }

  /** Connects every car and starts publishing; resolves when the run ends. */
  run(): Promise<SimulatorStats> {
    if (this.#done) return this.#done;
    this.#started = Date.now();
    this.#done = new Promise((resolve) => (this.#resolveDone = resolve));
    if (this.opts.durationS !== undefined) this.#later(() => void this.stop(), this.opts.durationS * 1000);
    void this.#connectAll();
    return this.#done;
  }

  /** Ends the run: cars disconnect cleanly (their status goes offline). Idempotent. */
  async stop(): Promise<SimulatorStats> {
    if (!this.#stopped) {
      this.#stopped = true;
      for (const t of this.#timers) clearTimeout(t);
      this.#timers.clear();
      await Promise.all(
        [...this.#clients.entries()].map(async ([vin, c]) => {
          if (c.connected) {
            const offline: VehicleStatus = { v: 1, vin, online: false, ts: Date.now() };
            await c.publishAsync(topics.status(vin), JSON.stringify(offline), { qos: 1, retain: true }).catch(() => {});
          }
          await c.endAsync().catch(() => {});
        }),
      );
      this.stats.elapsedMs = Date.now() - this.#started;
      this.emit('done', this.stats);
      this.#resolveDone?.(this.stats);
    }
    return this.stats;
  }

  #later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }

  async #connectAll(): Promise<void> {
    const queue = [...this.cars];
    const worker = async () => {
      for (let car = queue.shift(); car && !this.#stopped; car = queue.shift()) await this.#connect(car);
    };
    await Promise.all(Array.from({ length: this.opts.connectConcurrency ?? 50 }, worker));
  }

  #connect(car: CarState): Promise<void> {
    const token = this.opts.tokens.get(car.vin);
    if (!token) {
      this.#fail(car.vin, new Error(`no token for ${car.vin}`));
      this.#carFinished();
      return Promise.resolve();
    }
    const will: VehicleStatus = { v: 1, vin: car.vin, online: false, ts: Date.now() };
    const client = mqtt.connect(this.opts.brokerUrl, {
      username: car.vin,
      password: token,
      clientId: `car-${car.vin}`,
      protocolVersion: 4,
      keepalive: 30,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      will: { topic: topics.status(car.vin), payload: Buffer.from(JSON.stringify(will)), qos: 1, retain: true },
    });
    this.#clients.set(car.vin, client);
    client.on('error', (err) => this.#fail(car.vin, err));
    return new Promise((resolve) => {
      client.once('connect', () => {
        this.stats.connected++;
        this.emit('connected', car.vin);
        const online: VehicleStatus = { v: 1, vin: car.vin, online: true, ts: Date.now() };
        client.publish(topics.status(car.vin), JSON.stringify(online), { qos: 1, retain: true });
        this.#drive(car, client);
        resolve();
      });
      client.once('close', () => resolve());
    });
  }

  #fail(vin: string, err: Error): void {
    this.stats.errors++;
    this.emit('carError', vin, err);
  }

  #carFinished(): void {
    this.#finished++;
    if (this.#finished >= this.cars.length) void this.stop();
  }

  #drive(car: CarState, client: MqttClient): void {
    const qos = this.opts.qos ?? 1;
    const interval = this.opts.intervalMs ?? 1000;
    const limit = this.opts.messagesPerCar ?? Infinity;
    const window = interval === 0 ? (this.opts.window ?? 16) : Infinity;
    let inflight = 0;
    let sentHere = 0;
    let ackedHere = 0;
    const publishOne = () => {
      if (this.#stopped || sentHere >= limit) return;
      const reading = tick(car, Date.now());
      sentHere++;
      this.stats.sent++;
      inflight++;
      client.publish(topics.telemetry(car.vin), encodeTelemetry(reading), { qos }, (err) => {
        inflight--;
        if (err) this.#fail(car.vin, err);
        else {
          ackedHere++;
          this.stats.acked++;
        }
        if (ackedHere + (sentHere - ackedHere - inflight) >= limit) this.#carFinished();
        else if (interval === 0) pump();
      });
    };
    const pump = () => {
      while (!this.#stopped && inflight < window && sentHere < limit) publishOne();
    };
    if (interval === 0) return pump();
    const loop = () => {
      publishOne();
      if (!this.#stopped && sentHere < limit) this.#later(loop, interval);
    };
    // Spread the fleet over the interval so the broker sees a steady rate, not bursts.
    this.#later(loop, Math.floor(car.rand() * interval));
  }
}
