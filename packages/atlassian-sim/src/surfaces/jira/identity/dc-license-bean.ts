import type { DcInstance } from '../../../world/types.ts';
import { licenceCreationDate } from '../../dc-admin/licence.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Jira's short licence dates: `16/Mar/23`. */
export function licenseDateString(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${MONTHS[d.getUTCMonth()] ?? 'Jan'}/${String(d.getUTCFullYear() % 100).padStart(2, '0')}`;
}

/**
 * The private application-licence view (`/rest/plugins/applications/1.0/installed/jira-software/license`). The
 * `rawLicense` Jira includes is left out on purpose: it is a secret, and API-NOTES §7.1 says to drop it.
 */
export function dcLicenseBean(instance: DcInstance, now: number): Record<string, unknown> {
  const { license } = instance;
  const created = licenceCreationDate(license);
  const expired = now >= license.expiryDate;
  return {
    valid: !expired,
    evaluation: license.licenseType === 'EVALUATION',
    maximumNumberOfUsers: license.maximumNumberOfUsers,
    licenseType: license.licenseType.charAt(0) + license.licenseType.slice(1).toLowerCase(),
    creationDateString: licenseDateString(created),
    expiryDate: license.expiryDate,
    expiryDateString: licenseDateString(license.expiryDate),
    organizationName: license.organizationName,
    dataCenter: license.dataCenter,
    subscription: license.dataCenter,
    expired,
    supportEntitlementNumber: license.sen,
    enterprise: false,
    active: !expired,
    autoRenewal: false,
    maintenanceExpired: expired,
  };
}
