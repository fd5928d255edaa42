import { createUser } from '../../src/accounts/service.ts';
import type { Role } from '../../src/accounts/model.ts';

export const testPassword = 'correct horse battery staple';

let n = 0;
export async function buildUser(role: Role, overrides: { email?: string; name?: string } = {}) {
  n += 1;
  return createUser(
    { email: overrides.email ?? `${role}${n}@debrief.test`, name: overrides.name ?? `Test ${role} ${n}`, role, password: testPassword },
    { type: 'system' },
  );
}
