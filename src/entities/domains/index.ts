import { Domain } from './domain.entity.js';
import { WhoisLog } from './whois-log.entity.js';

export const domainEntities: Function[] = [Domain, WhoisLog];
