// Package ledger owns the tamper-evident evidence log and the evidence bundle.
//
// The log is an append-only Merkle tree hashed as in RFC 6962: every leaf is the
// canonical JSON of one evidence entry (its SHA-256 and SM3 digests, size, name,
// matter and the time it was preserved). Signed checkpoints in the C2SP
// tlog-checkpoint format commit to the tree, optionally with an RFC 3161
// timestamp over the signed checkpoint. Inclusion proofs are written in the
// C2SP tlog-proof format.
//
// An evidence bundle is a ZIP with the files, their entries and proofs, the
// checkpoint, the log's public key and the timestamp, so that anyone can check
// offline, with sha256sum and openssl or with VerifyBundle, that the files have
// not changed since they were preserved and when that was.
//
// The package does no SQL: storage is behind the Storage interface, and
// MemStorage is an in-memory implementation for tests and benchmarks. A
// caller that stores other rows with the entries appends in its own
// transaction: Stage encodes the next entries, Write stores them through a
// Writer over that transaction, and Advance follows its commit.
package ledger
