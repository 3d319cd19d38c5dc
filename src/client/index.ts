export { createClient, type AurigraphClient, type ClientOptions } from './client.js';
export type { CallOptions, DuplexStream, ResponseStream, ServiceClient } from './call-types.js';
export type { HealthStatus } from './health.js';
