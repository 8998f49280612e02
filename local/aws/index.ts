export { localClients, localS3ClientConfig, type LocalEndpoints } from './localClients';
