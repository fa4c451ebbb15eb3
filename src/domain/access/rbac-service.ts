import { In, type DataSource } from 'typeorm';
import { DEFAULT_ROLES, catalogue, defaultGrant, type ResourceDescriptor } from './permissions.js';

/**
 * Keeps the permissions table in step with the admin's resources and actions, and answers "what may this user do".
 * New permissions are granted to the default roles as `defaultGrant` says, once, when they first appear; grants
 * that staff later change are left alone.
 */
export class RbacService {
  constructor(private readonly ds: DataSource) {}

  async sync(resources: ResourceDescriptor[]): Promise<{ created: number }> {
    return this.ds.transaction(async (m) => {
      const roles = m.getRepository('Role');
      for (const r of DEFAULT_ROLES) {
        if (!(await roles.findOne({ where: { name: r.name } }))) {
          await roles.insert({ name: r.name, displayName: r.name, description: r.description, isSystem: true });
        }
      }
      const roleRows = (await roles.find({ where: { name: In(DEFAULT_ROLES.map((r) => r.name)) } })) as Array<{ id: number; name: string }>;
      const perms = m.getRepository('Permission');
      const existing = new Set(((await perms.find({ select: ['name'] as never })) as Array<{ name: string }>).map((p) => p.name));
      const byId = new Map(resources.map((r) => [r.id, r]));
      let created = 0;
      for (const def of catalogue(resources)) {
        if (existing.has(def.name)) continue;
        const res = await perms.insert({ name: def.name, displayName: def.displayName, groupName: def.groupName, description: null });
        const permissionId = res.identifiers[0].id as number;
        const resource = byId.get(def.name.split('.')[0])!;
        const grants = roleRows.filter((role) => defaultGrant(role.name, resource, def.name)).map((role) => ({ permissionId, roleId: role.id }));
        if (grants.length) await m.getRepository('PermissionRole').insert(grants);
        created++;
      }
      return { created };
    });
  }

  async permissionsOf(userId: number): Promise<Set<string>> {
    const rows: Array<{ name: string }> = await this.ds.query(
      `SELECT DISTINCT p.name AS name FROM role_user ru
         JOIN permission_role pr ON pr.role_id = ru.role_id
         JOIN permissions p ON p.id = pr.permission_id
        WHERE ru.user_id = ?`,
      [userId],
    );
    return new Set(rows.map((r) => r.name));
  }

  async assignRole(userId: number, roleName: string): Promise<void> {
    const role = (await this.ds.getRepository('Role').findOne({ where: { name: roleName } })) as { id: number } | null;
    if (!role) throw new Error(`no role named ${roleName}`);
    const link = this.ds.getRepository('RoleUser');
    if (!(await link.findOne({ where: { userId, roleId: role.id } }))) await link.insert({ userId, roleId: role.id });
  }
}
