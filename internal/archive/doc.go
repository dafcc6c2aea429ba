// Package archive owns the chat archive workflows: importing chat exports
// into the store in one transaction with de-duplication, Chinese full-text
// search with highlighted context, monthly age-encrypted archives (归档) that
// the standard age tool opens, retention, and the data of the court
// printout. Parsing is chatexport's, SQL is store's; this package joins
// them with the blob store and the audit log.
package archive

import "errors"

// ErrTooLarge: a request would produce more than one page can hold.
var ErrTooLarge = errors.New("范围过大")
