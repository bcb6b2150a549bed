/**
 * Skybridge glossary. The words below mean the same thing everywhere in the code, the API and the docs.
 *
 * - **Connection**: one credential set for one Atlassian target (a cloud site, an organization, a Data Center
 *   instance). Every other feature borrows a connection; none stores credentials of its own.
 * - **Kind**: what a connection points at: `jira-cloud`, `confluence-cloud`, `atlassian-org`, `jira-dc`,
 *   `confluence-dc`. The kind decides the auth scheme, the verify steps and which API family is used.
 * - **Secret**: the API token, org API key or personal access token. Sealed by the vault before it reaches the
 *   database; opened only inside the process, only to make a request; never returned, logged or put in an error.
 * - **Sealed / opened**: a sealed secret is ciphertext with the id of the key that sealed it; an opened secret is
 *   plaintext held in memory for one use. They are different types so one cannot be passed for the other.
 * - **Authorization status**: whether the connection still works: `connected`, `needs_reauthorization` (the
 *   credential was refused or is past its recorded expiry), `failed` (N consecutive failures of any kind), and
 *   `unverified` before the first check. Every use of a connection updates it, not only verify.
 * - **Verify**: the read-only calls that prove a connection works and show what it can see (a sample).
 * - **Actor**: who did something (an API token's name, or `cli:<os user>`), recorded in the audit log.
 * - **Audit event**: an append-only record of create, edit, verify, rotate and delete, never containing a secret.
 * - **Dependent**: anything that uses a connection (schedules, data-out instances, tracked tickets); delete lists
 *   them and refuses without an explicit cascade.
 */
export {};
