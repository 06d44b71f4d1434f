import { Role } from '@cbm/database';

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
  /** Start and close communication checks, and read every State's results: the secretariat. */
  CommunicationCheckManage = 'commcheck:manage',
  /** Read the results of communication checks for one's own State. */
  CommunicationCheckRead = 'commcheck:read',
  /** Register and remove one's own State's webhooks. */
  WebhookManage = 'webhook:manage',
  /** Read notifications and their delivery attempts (one's own State's; the secretariat: all). */
  NotificationRead = 'notification:read',
  /** Read capacity-building needs, offers, matches, and one's State's proposals and engagements. */
  CapacityRead = 'capacity:read',
  /** Describe one's State's needs and offers, propose, accept, report on and evaluate engagements. */
  CapacityWrite = 'capacity:write',
  /** Capacity-building metadata of every State (areas, regions, statuses, dates; no text): the secretariat as broker. */
  CapacityMetadataRead = 'capacity:metadata',
}

const VIEWER: Permission[] = [
  Permission.DirectoryRead,
  Permission.DisclosureRead,
  Permission.RequestRead,
  Permission.CommunicationCheckRead,
  Permission.CapacityRead,
];
const OFFICER: Permission[] = [
  ...VIEWER,
  Permission.DirectoryWrite,
  Permission.DisclosureWrite,
  Permission.RequestWrite,
  Permission.RequestRespond,
  Permission.CapacityWrite,
];
const STATE_ADMIN: Permission[] = [
  ...OFFICER,
  Permission.UserRead,
  Permission.UserWrite,
  Permission.ApiKeyManage,
  Permission.AuditRead,
  Permission.StateSecurityManage,
  Permission.WebhookManage,
  Permission.NotificationRead,
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
  Permission.NotificationRead,
  Permission.CapacityMetadataRead,
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
