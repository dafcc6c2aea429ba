package archive

import (
	"context"
	"fmt"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// PrintLine is one line of a court printout: a message, or a marker.
type PrintLine struct {
	Day     string         // set on the first message of a calendar day (Asia/Shanghai)
	Gap     string         // set when something may be missing before this message
	Message *model.Message // the message
	Sender  model.Participant
	Kind    string
}

// Printout is the data of a court printout (法庭打印版) of a conversation.
type Printout struct {
	Conversation *model.ConversationSummary
	From, To     time.Time // the range printed (zero: unbounded)
	Sources      []*model.ChatImport
	Lines        []PrintLine
	Total        int
}

// maxPrintMessages bounds one printout; narrow the range for more.
const maxPrintMessages = 20000

// Printout gathers a conversation (or a time range of it) for printing:
// both parties' identities, every message with date and time in order, and
// markers where the record may be incomplete: where consecutive messages
// come from different export files (the exports may not meet) and where a
// message was revoked. The caller audits the printout.
func (s *Service) Printout(ctx context.Context, conversationID int64, from, to time.Time) (*Printout, error) {
	conv, err := s.DB.ConversationByID(ctx, conversationID)
	if err != nil {
		return nil, err
	}
	p := &Printout{Conversation: conv, From: from, To: to}
	if p.Sources, err = s.DB.ChatImports(ctx, conversationID); err != nil {
		return nil, err
	}
	msgs, err := s.DB.Messages(ctx, store.MessageFilter{ConversationID: conversationID, From: from, To: to, Limit: maxPrintMessages + 1})
	if err != nil {
		return nil, err
	}
	if len(msgs) > maxPrintMessages {
		return nil, fmt.Errorf("%w：超过 %d 条消息，请缩小时间范围", ErrTooLarge, maxPrintMessages)
	}
	people := map[string]model.Participant{}
	for _, pt := range conv.Participants {
		people[pt.WxID] = pt
	}
	importOf := map[int64]string{}
	for _, imp := range p.Sources {
		importOf[imp.ID] = imp.FileName
	}
	lastDay := ""
	var prev *model.Message
	prevImport := int64(0)
	for _, m := range msgs {
		line := PrintLine{Message: m, Kind: KindLabel(m.Kind)}
		line.Sender = people[m.SenderWxID]
		if line.Sender.WxID == "" {
			line.Sender = model.Participant{WxID: m.SenderWxID, Nickname: m.SenderName}
		}
		if day := m.SentAt.In(Shanghai).Format("2006年1月2日"); day != lastDay {
			line.Day, lastDay = day, day
		}
		imp := m.ImportID
		if prev != nil && imp != prevImport {
			line.Gap = fmt.Sprintf("以下消息来自另一份导出文件（%s）：两份文件之间可能有消息缺失", importOf[imp])
		}
		if m.Kind == model.MessageRevoke {
			line.Gap = "此处有一条消息被撤回，原内容不在导出文件中"
		}
		prev, prevImport = m, imp
		p.Lines = append(p.Lines, line)
	}
	p.Total = len(msgs)
	return p, nil
}
