/**
 * Prometheus metrics of one app instance, on its own registry (tests build several apps in one
 * process; the default global registry would mix them).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class IotMetrics {
  readonly registry = new Registry();
  readonly messagesIn = new Counter({ name: 'iot_messages_in_total', help: 'Valid telemetry messages accepted from vehicles', labelNames: ['qos'] as const, registers: [this.registry] });
  readonly messagesOut = new Counter({ name: 'iot_messages_out_total', help: 'Messages delivered to subscribers', registers: [this.registry] });
  readonly invalid = new Counter({ name: 'iot_messages_invalid_total', help: 'Messages dropped by validation, by reason', labelNames: ['reason'] as const, registers: [this.registry] });
  readonly refused = new Counter({
    name: 'iot_refused_total',
    help: 'Refused connections, publishes and subscriptions, by reason',
    labelNames: ['action', 'reason'] as const,
    registers: [this.registry],
  });
  readonly dropped = new Counter({ name: 'iot_messages_dropped_total', help: 'Valid QoS 0 messages dropped because the event log was saturated', registers: [this.registry] });
  readonly withheld = new Counter({ name: 'iot_puback_withheld_total', help: 'QoS 1 messages whose PUBACK waited for room in the event log', registers: [this.registry] });
  readonly persisted = new Counter({ name: 'iot_rows_persisted_total', help: 'Telemetry rows inserted (duplicates excluded)', registers: [this.registry] });
  readonly duplicates = new Counter({ name: 'iot_rows_duplicate_total', help: 'Redelivered messages skipped by ON CONFLICT (vin, seq)', registers: [this.registry] });
  readonly batchSeconds = new Histogram({
    name: 'iot_persist_batch_seconds',
    help: 'Time to write and commit one persistence batch',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  /** Read at scrape time (see {@link setLagSource}). */
  #lagSource: (() => Promise<Record<string, number>>) | null = null;
  readonly lag = new Gauge({
    name: 'iot_event_log_lag',
    help: 'Records not yet acknowledged by a consumer group',
    labelNames: ['group'] as const,
    registers: [this.registry],
    collect: async () => {
      const source = this.#lagSource;
      if (!source) return;
      for (const [group, n] of Object.entries(await source().catch(() => ({})))) this.lag.set({ group }, n);
    },
  });
  readonly connectedVehicles = new Gauge({ name: 'iot_connected_vehicles', help: 'Vehicles connected to this broker', registers: [this.registry] });
  readonly connectedServices = new Gauge({ name: 'iot_connected_service_users', help: 'Service users connected to this broker', registers: [this.registry] });

  /** Tells the lag gauge how to read the event log's lag per group. */
  setLagSource(source: () => Promise<Record<string, number>>): void {
    this.#lagSource = source;
  }

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
