package archive

import (
	"context"
	"io"

	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/chatexport"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// An import parses the export and works out each message's index tokens
// on one goroutine while the transaction writes on another, so that two
// cores share the work: the parser's goroutine owns the conversations it
// builds until it is done; the writer only uses them as identities (map
// keys) and reads the key, kind and title a conversation had at its first
// message from a copy (parsedMessage.first).

// parsedMessage is one message handed from the parser to the writer.
type parsedMessage struct {
	conv  *model.Conversation // identity only until the parser has finished
	first *model.Conversation // set on conv's first message: a copy of its key, kind and title
	msg   *store.IndexedMessage
}

// parseBatch is how many messages go to the writer at a time; parseQueue
// how many batches may wait (bounding the memory the parser runs ahead).
const (
	parseBatch = 256
	parseQueue = 16
)

// parseAhead starts the parser on its own goroutine. The writer ranges over
// the returned channel and then calls finish for the parser's statistics
// and error; finish also stops the parser when the writer gives up early,
// so it must be called on every path.
func (s *Service) parseAhead(ctx context.Context, src io.Reader, name string, format chatexport.Format,
	opts chatexport.Options, stored map[string]blob.Ref) (<-chan []parsedMessage, func() (chatexport.Stats, error)) {
	ctx, cancel := context.WithCancel(ctx)
	out := make(chan []parsedMessage, parseQueue)
	done := make(chan struct{})
	var stats chatexport.Stats
	var parseErr error
	go func() {
		defer close(done)
		defer close(out)
		seen := map[*model.Conversation]bool{}
		batch := make([]parsedMessage, 0, parseBatch)
		send := func() error {
			select {
			case out <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = make([]parsedMessage, 0, parseBatch)
			return nil
		}
		stats, parseErr = chatexport.Parse(ctx, src, name, format, opts, func(conv *model.Conversation, msg *model.Message) error {
			item := parsedMessage{conv: conv}
			if !seen[conv] {
				seen[conv] = true
				item.first = &model.Conversation{Key: conv.Key, Kind: conv.Kind, Title: conv.Title}
			}
			if a := msg.Attachment; a != nil && a.BlobID == "" {
				if key, ok := mediaKey(a.Ref); ok && stored[key].SHA256 != "" {
					a.BlobID, a.Size = stored[key].SHA256, stored[key].Size
				}
			}
			im, err := s.DB.IndexMessage(msg)
			if err != nil {
				return err
			}
			item.msg = im
			batch = append(batch, item)
			if len(batch) == parseBatch {
				return send()
			}
			return nil
		})
		if parseErr == nil && len(batch) > 0 {
			parseErr = send()
		}
	}()
	return out, func() (chatexport.Stats, error) {
		cancel()
		for range out { // let a parser blocked on a full queue see the cancel
		}
		<-done
		return stats, parseErr
	}
}
