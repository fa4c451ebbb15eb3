import { Entity, Index } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, EncryptedColumn, Status, Text, Varchar } from '../../db/columns.js';

export const SETTING_TYPES = ['string', 'int', 'bool', 'json', 'money', 'secret'] as const;
export type SettingType = (typeof SETTING_TYPES)[number];

/**
 * One configuration value (seed 001 admindb `settings`, seed 000 `system_settings`). `type` says how `value` is parsed
 * (money as integer minor units, like every amount). A 'secret' setting (SMTP password, registrar or fraud-check API
 * key) keeps its value encrypted in `secretValue` and leaves `value` empty, so no secret sits in plain text here.
 */
@Entity('settings')
export class Setting extends Model {
  /** Dotted name, e.g. 'billing.invoiceDaysBefore', 'mail.smtpHost'. */
  @Varchar(191, { unique: true })
  key: string;

  @Text()
  value: string | null;

  @EncryptedColumn()
  secretValue: string | null;

  @Status(SETTING_TYPES, 'string')
  type: SettingType;

  /** Section of the settings screen, e.g. 'General', 'Billing', 'Mail'. */
  @Varchar(64, { nullable: true })
  @Index()
  groupName: string | null;

  @Text()
  description: string | null;

  /** May be sent to the client area and the unauthenticated order form (company name, logo URL). */
  @Bool()
  isPublic: boolean;
}
