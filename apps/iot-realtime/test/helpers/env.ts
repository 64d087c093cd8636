/** The services every integration suite uses (running on this machine; CI starts them). */
export const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = 'redis://127.0.0.1:6379';
