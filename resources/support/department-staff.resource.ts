import { DepartmentStaff } from '../../src/entities/support/department-staff.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const departmentStaffResource = defineResource(DepartmentStaff, {
  navigation: NAV.support,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['departmentId', 'userId', 'notify', 'createdAt'],
  filterProperties: ['departmentId', 'userId', 'notify'],
  showProperties: ['departmentId', 'userId', 'notify', 'createdAt', 'updatedAt'],
  editProperties: ['departmentId', 'userId', 'notify'],
  properties: {
    // A join row: the department is its most useful label.
    departmentId: { isTitle: true },
  },
});
