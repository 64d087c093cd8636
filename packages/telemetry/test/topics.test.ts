import { describe, expect, it } from 'vitest';
import { isVin, parseVehicleTopic, topics } from '../src/index.js';

describe('topics', () => {
  it('builds and parses the three per-vehicle topics', () => {
    const vin = '5YJ3E1EA7KF000001';
    expect(parseVehicleTopic(topics.telemetry(vin))).toEqual({ vin, kind: 'telemetry' });
    expect(parseVehicleTopic(topics.status(vin))).toEqual({ vin, kind: 'status' });
    expect(parseVehicleTopic(topics.commands(vin))).toEqual({ vin, kind: 'commands' });
  });

  it.each(['ecars/vehicles/X/telemetry/extra', 'ecars/other/X/telemetry', 'ecars/vehicles/X/horn', '$SYS/broker/clients', ''])(
    'does not recognise %j',
    (topic) => {
      expect(parseVehicleTopic(topic)).toBeNull();
    },
  );

  it('checks VINs by ISO 3779', () => {
    expect(isVin('5YJ3E1EA7KF000001')).toBe(true);
    expect(isVin('5YJ3E1EA7KF00000I')).toBe(false);
    expect(isVin('5YJ3E1EA7KF00001')).toBe(false);
  });
});
