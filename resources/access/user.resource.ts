import { User, USER_STATUSES, USER_TYPES } from '../../src/entities/access/user.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

const showOnly = { list: false, edit: false, show: true, filter: false };

export const userResource = defineResource(User, {
  navigation: NAV.settings,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['displayName', 'email', 'userType', 'status', 'twoFactorEnabled', 'lastLoginAt', 'createdAt'],
  filterProperties: ['displayName', 'email', 'userType', 'status', 'twoFactorEnabled', 'lastLoginAt', 'lockedUntil', 'createdAt'],
  showProperties: [
    'displayName',
    'email',
    'firstName',
    'lastName',
    'userType',
    'status',
    'twoFactorEnabled',
    'emailVerifiedAt',
    'failedLoginCount',
    'lockedUntil',
    'lastLoginAt',
    'lastLoginIp',
    'passwordChangedAt',
    'timezone',
    'language',
    'createdAt',
    'updatedAt',
    'deletedAt',
  ],
  // Password, 2FA and lock state change only through dedicated actions, never by editing columns.
  editProperties: ['email', 'firstName', 'lastName', 'userType', 'status', 'timezone', 'language'],
  properties: {
    displayName: { isTitle: true, isVisible: { list: true, edit: false, show: true, filter: true } },
    userType: { availableValues: USER_TYPES.map((v) => ({ value: v, label: v })) },
    status: { availableValues: USER_STATUSES.map((v) => ({ value: v, label: v })) },
    passwordHash: { isVisible: false },
    twoFactorSecret: { isVisible: false },
    twoFactorRecoveryCodes: { isVisible: false },
    twoFactorLastUsedStep: { isVisible: false },
    twoFactorEnabled: { isVisible: { list: true, edit: false, show: true, filter: true } },
    failedLoginCount: { isVisible: showOnly },
    lockedUntil: { isVisible: { list: false, edit: false, show: true, filter: true } },
    lastLoginAt: { isVisible: { list: true, edit: false, show: true, filter: true } },
    lastLoginIp: { isVisible: showOnly },
    passwordChangedAt: { isVisible: showOnly },
    emailVerifiedAt: { isVisible: showOnly },
    deletedAt: { isVisible: showOnly },
  },
});
