// The one place the tests read the environment.
import { z } from 'zod';

const schema = z.object({
  /** A real Kafka cluster (`host:port,…` or `kafka+ssl://…`) to run the contract suite against too. */
  KAFKA_BROKERS: z.string().min(1).optional(),
});

export const testEnv = schema.parse(process.env);
