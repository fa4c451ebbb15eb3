import { Domain } from './domain.entity.js';
import { DomainReminder } from './domain-reminder.entity.js';
import { WhoisLog } from './whois-log.entity.js';

export const domainEntities: Function[] = [Domain, DomainReminder, WhoisLog];
