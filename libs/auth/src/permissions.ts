import { Role } from '@cbm/database/generated/prisma/enums';

/**
 * Named permissions: routes declare these, never roles. ROLE_PERMISSIONS below is the one place where
 * roles are given meaning; the route → permission map is snapshotted in test/__snapshots__.
 */
export enum Permission {
  /** Read the directory of contacts and CERTs. */
  DirectoryRead = 'directory:read',
  /** Maintain one's own State's contacts and CERTs. */
  DirectoryWrite = 'directory:write',
  DisclosureRead = 'disclosure:read',
  DisclosureWrite = 'disclosure:write',
  /** Read requests involving one's State, with their contents. */
  RequestRead = 'request:read',
  /** File and discuss requests for one's State. */
  RequestWrite = 'request:write',
  /** Answer requests addressed to one's State. */
  RequestRespond = 'request:respond',
  /** Request metadata (who, type, status, dates) across States, never contents: the secretariat. */
  RequestMetadataRead = 'request:metadata',
  /** Mark States as participating (the secretariat). */
  StateManage = 'state:manage',
  /** Set one's own State's security policy (second factor for all its users). */
  StateSecurityManage = 'state:security',
  UserRead = 'user:read',
  UserWrite = 'user:write',
  ApiKeyManage = 'apikey:manage',
  AuditRead = 'audit:read',
  AuditVerify = 'audit:verify',
  CommunicationCheckManage = 'commcheck:manage',
}

const VIEWER: Permission[] = [Permission.DirectoryRead, Permission.DisclosureRead, Permission.RequestRead];
const OFFICER: Permission[] = [
  ...VIEWER,
  Permission.DirectoryWrite,
  Permission.DisclosureWrite,
  Permission.RequestWrite,
  Permission.RequestRespond,
];
const STATE_ADMIN: Permission[] = [
  ...OFFICER,
  Permission.UserRead,
  Permission.UserWrite,
  Permission.ApiKeyManage,
  Permission.AuditRead,
  Permission.StateSecurityManage,
];
const PLATFORM_ADMIN: Permission[] = [
  Permission.DirectoryRead,
  Permission.DisclosureRead,
  Permission.RequestMetadataRead,
  Permission.StateManage,
  Permission.UserRead,
  Permission.UserWrite,
  Permission.AuditRead,
  Permission.AuditVerify,
  Permission.CommunicationCheckManage,
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  [Role.PLATFORM_ADMIN]: new Set(PLATFORM_ADMIN),
  [Role.STATE_ADMIN]: new Set(STATE_ADMIN),
  [Role.STATE_OFFICER]: new Set(OFFICER),
  [Role.STATE_VIEWER]: new Set(VIEWER),
};

/**
 * What a State administrator may put on an API key: what a machine client of a CERT needs (an
 * officer's permissions), never the management of users, keys, audit or policy.
 */
export const API_KEY_GRANTABLE_PERMISSIONS: ReadonlySet<Permission> = new Set(OFFICER);

export function isPermission(value: string): value is Permission {
  return (Object.values(Permission) as string[]).includes(value);
}
