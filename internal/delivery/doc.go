// Package delivery owns secure document delivery (文件安全传输): documents
// of a matter uploaded with a classification (普通 / 保密 / 商业秘密) and
// kept encrypted in the blob store, the NDAs on record per matter and
// recipient, and expiring single-recipient links signed with an HMAC key of
// the data folder. Confidential documents and trade secrets go only to a
// recipient with a signed NDA on record for the matter. Every open,
// download, wrong access code and receipt confirmation of a link is
// logged; the record can be preserved as proof of service (送达凭证).
//
// Who may see or send a matter's documents is access.SendDocument (the
// matter rule); refusals are audited and answer like missing records.
package delivery
