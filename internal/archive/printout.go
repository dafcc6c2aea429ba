package archive

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/chatexport"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// PrintLine is one line of a court printout: a message with the markers
// that stand before it.
type PrintLine struct {
	Day     string         // set on the first message of a calendar day (Asia/Shanghai)
	Marks   []string       // what may be missing or was left out before this message
	Message *model.Message // the message
	Sender  model.Participant
	// SenderName names the sender: the mapped contact, the remark, the
	// nickname or the id; 系统 for a system notice without a sender,
	// 未知 when the export named nobody.
	SenderName string
	Kind       string
	// Tag is the kind's label ([图片]) when the text does not already
	// open with one, so each label is printed once; "" for text.
	Tag string
	// Attachment names the attached file ("" when the message has none or
	// the export gave it neither a name nor a reference).
	Attachment string
}

// PrintSource is an export file that fed the conversation.
type PrintSource struct {
	*model.ChatImport
	// Imports is how many times this file (same SHA-256) was imported into
	// the conversation; a source is listed once however often it came in.
	Imports int
	SeqName string // the export's own sequence (localId, seq, id), "" when it has none
	// SeqNote explains a sequence shared by all chats of the account, when
	// a jump of it is marked.
	SeqNote string
	// OtherSkips are records the import skipped outside this conversation's
	// part of the file (files that hold several conversations).
	OtherSkips []string
}

// Printout is the data of a court printout (法庭打印版) of a conversation.
type Printout struct {
	Conversation *model.ConversationSummary
	From, To     time.Time // the range printed (zero: unbounded)
	Sources      []*PrintSource
	Lines        []PrintLine
	EndMarks     []string // markers after the last message
	Gaps         int      // markers of missing or skipped source records
	Total        int
}

// maxPrintMessages bounds one printout; narrow the range for more.
const maxPrintMessages = 20000

// maxOtherSkips bounds the skips listed per source file.
const maxOtherSkips = 20

// Printout gathers a conversation (or a time range of it) for printing:
// both parties' identities, every message with date and time in order, and
// markers where the record is or may be incomplete: where the export's own
// sequence number jumps (records the source does not contain), where the
// import skipped a record of the file (and why), where consecutive messages
// come from different export files (the exports may not meet) and where a
// message was revoked. The caller audits the printout.
func (s *Service) Printout(ctx context.Context, conversationID int64, from, to time.Time) (*Printout, error) {
	conv, err := s.DB.ConversationByID(ctx, conversationID)
	if err != nil {
		return nil, err
	}
	p := &Printout{Conversation: conv, From: from, To: to}
	imports, err := s.DB.ChatImports(ctx, conversationID)
	if err != nil {
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
	sources := map[int64]*PrintSource{} // by import id; re-imports of a file share its source
	bySHA := map[string]*PrintSource{}
	for _, imp := range imports {
		if src := bySHA[imp.SHA256]; src != nil && imp.SHA256 != "" {
			src.Imports++
			sources[imp.ID] = src
			continue
		}
		src := &PrintSource{ChatImport: imp, Imports: 1, SeqName: chatexport.SeqName(chatexport.Format(imp.Format))}
		sources[imp.ID] = src
		bySHA[imp.SHA256] = src
		p.Sources = append(p.Sources, src)
	}
	lastDay := ""
	var prevSource *PrintSource
	for i, m := range msgs {
		line := PrintLine{Message: m, Kind: KindLabel(m.Kind), Tag: KindTag(m), Attachment: attachmentName(m.Attachment)}
		line.Sender = people[m.SenderWxID]
		if line.Sender.WxID == "" {
			line.Sender = model.Participant{WxID: m.SenderWxID, Nickname: m.SenderName}
		}
		line.SenderName = line.Sender.DisplayName()
		if line.SenderName == "未知" && (m.Kind == model.MessageSystem || m.Kind == model.MessageRevoke) {
			line.SenderName = "系统"
		}
		if day := m.SentAt.In(Shanghai).Format("2006年1月2日"); day != lastDay {
			line.Day, lastDay = day, day
		}
		src := sources[m.ImportID]
		if i > 0 && src != prevSource && src != nil {
			line.Marks = append(line.Marks, fmt.Sprintf("以下消息来自另一份导出文件（%s）：两份文件之间可能有消息缺失", src.FileName))
		}
		if pos := m.Source; pos.GapMissing > 0 && src != nil {
			// Some exports number the records of all the account's chats
			// together: a jump there is not proof of a missing message, and
			// a court printout must not claim more than the source shows.
			if chatexport.SeqSharedAcrossChats(chatexport.Format(src.Format)) {
				line.Marks = append(line.Marks, fmt.Sprintf("原始记录序号不连续（%s %d → %d）：中间有 %d 条原始记录不在本导出文件中（该编号为账号内所有会话共用，可能属于其他会话，也可能缺失）",
					src.SeqName, pos.GapPrevSeq, pos.Seq, pos.GapMissing))
				src.SeqNote = fmt.Sprintf("%s 是导出账号所有会话共用的编号，序号不连续处的记录可能属于其他会话。", src.SeqName)
			} else {
				line.Marks = append(line.Marks, fmt.Sprintf("原始记录序号不连续（%s %d → %d）：此处缺少 %d 条原始记录",
					src.SeqName, pos.GapPrevSeq, pos.Seq, pos.GapMissing))
			}
			p.Gaps++
		}
		if m.Kind == model.MessageRevoke {
			line.Marks = append(line.Marks, "此处有一条消息被撤回，原内容不在导出文件中")
		}
		prevSource = src
		p.Lines = append(p.Lines, line)
	}
	if err := s.markSkips(ctx, p); err != nil {
		return nil, err
	}
	p.Total = len(msgs)
	return p, nil
}

// markSkips puts each record an import skipped before the printed message
// that follows it in the same file. A skip before the first or after the
// last message of the file is this conversation's only when the format
// holds one conversation per file and the printout is not cut to a range;
// otherwise it is listed with its source file.
func (s *Service) markSkips(ctx context.Context, p *Printout) error {
	type placed struct{ record, line int }
	byImport := map[int64][]placed{}
	for i, l := range p.Lines {
		if r := l.Message.Source.Record; r > 0 {
			byImport[l.Message.ImportID] = append(byImport[l.Message.ImportID], placed{r, i})
		}
	}
	for _, src := range p.Sources {
		if src.Skipped == 0 {
			continue
		}
		skips, err := s.DB.ChatImportSkips(ctx, src.ID)
		if err != nil {
			return err
		}
		list := byImport[src.ID]
		sort.Slice(list, func(i, j int) bool { return list[i].record < list[j].record })
		oneChat := singleConversationFormat(chatexport.Format(src.Format))
		for _, sk := range skips {
			text := fmt.Sprintf("原始文件 %s 第 %d 行的记录导入时被跳过：%s", src.FileName, sk.Line, sk.Reason)
			k := sort.Search(len(list), func(i int) bool { return list[i].record > sk.Record })
			switch {
			case k < len(list) && (k > 0 || oneChat && p.From.IsZero()):
				l := &p.Lines[list[k].line]
				l.Marks = append(l.Marks, text)
			case k == len(list) && len(list) > 0 && oneChat && p.To.IsZero():
				p.EndMarks = append(p.EndMarks, text)
			default:
				if len(src.OtherSkips) < maxOtherSkips {
					src.OtherSkips = append(src.OtherSkips, fmt.Sprintf("第 %d 行：%s", sk.Line, sk.Reason))
				}
				continue
			}
			p.Gaps++
		}
		if n := src.Skipped - len(skips); n > 0 {
			src.OtherSkips = append(src.OtherSkips, fmt.Sprintf("另有 %d 条跳过的记录未逐条保存（每次导入保存前 1000 条）", n))
		}
	}
	return nil
}

// KindTag is the Chinese label of a message that is not plain text
// ([图片], [撤回] …), or "" when it is text or its text already opens with
// such a label (exports write "[图片]" or "[文件] 合同.docx" as the text), so
// a label is never said twice.
func KindTag(m *model.Message) string {
	if m.Kind == model.MessageText || strings.HasPrefix(strings.TrimSpace(m.Text), "[") {
		return ""
	}
	return "[" + KindLabel(m.Kind) + "]"
}

// attachmentName is how an attachment is named on paper: its file name,
// else the last part of its reference; "" when there is nothing to name.
func attachmentName(a *model.Attachment) string {
	if a == nil {
		return ""
	}
	if name := strings.TrimSpace(a.Name); name != "" {
		return name
	}
	ref := strings.TrimSpace(a.Ref)
	if i := strings.LastIndexAny(ref, `/\`); i >= 0 && i < len(ref)-1 {
		ref = ref[i+1:]
	}
	return ref
}

// singleConversationFormat: the format's files hold one conversation.
func singleConversationFormat(f chatexport.Format) bool {
	return f == chatexport.FormatWeChatMsgCSV || f == chatexport.FormatWeChatMsgTXT || f == chatexport.FormatForwardedText
}

// Summary says in one sentence what the printout marks.
func (p *Printout) Summary() string {
	var b strings.Builder
	if p.Gaps == 0 {
		b.WriteString("未发现来源文件中缺少或导入时跳过的记录（原始序号只有 WeChatMsg、chatlog JSON、PyWxDump 和带 seq 的企业微信存档导出才有）。")
	} else {
		fmt.Fprintf(&b, "共 %d 处标明了来源文件中缺少或导入时跳过的记录（“⚠”行）。", p.Gaps)
	}
	return b.String()
}
