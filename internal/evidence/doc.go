// Package evidence owns the evidence-preservation workflow: intake of a file
// (streamed once into the encrypted blob store while SHA-256 and SM3 are
// computed), its entry in the tamper-evident log (internal/ledger, stored in
// SQL through internal/store), the evidence item and its audit record in the
// same transaction, originality checks with Chinese warnings, signed and
// optionally timestamped checkpoints, evidence bundles for export, and the
// verification of the log and the stored files.
//
// The log's Ed25519 signing key is generated at first use into
// <data>/keys/ledger.key; its public key is also recorded in the database so
// that a swapped key file is noticed. The first use of the log in a process
// verifies it incrementally (from the last size known good) and refuses to
// add to a broken log.
package evidence
