package archive

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"filippo.io/age"

	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Shanghai is the time zone messages are shown and months are cut in.
var Shanghai = calendar.Shanghai

// MonthRange parses "YYYY-MM" into its first instant and the next month's,
// in Asia/Shanghai.
func MonthRange(month string) (from, to time.Time, err error) {
	t, err := time.ParseInLocation("2006-01", month, Shanghai)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("月份格式应为 YYYY-MM：%q", month)
	}
	return t, t.AddDate(0, 1, 0), nil
}

// ParseRecipients reads age public keys (age1…).
func ParseRecipients(keys []string) ([]age.Recipient, error) {
	if len(keys) == 0 {
		return nil, errors.New("至少需要一个接收方公钥（age1…）")
	}
	var out []age.Recipient
	for _, k := range keys {
		r, err := age.ParseX25519Recipient(strings.TrimSpace(k))
		if err != nil {
			return nil, fmt.Errorf("接收方公钥无效：%q（应为 age1 开头的 age 公钥）", k)
		}
		out = append(out, r)
	}
	return out, nil
}

// ManifestFile is one file of an archive with its digest.
type ManifestFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Manifest describes an archive; it is the last file in it.
type Manifest struct {
	Month         string         `json:"month"`
	From          time.Time      `json:"from"`
	To            time.Time      `json:"to"`
	CreatedAt     time.Time      `json:"created_at"`
	Conversations int            `json:"conversations"`
	Messages      int            `json:"messages"`
	Files         []ManifestFile `json:"files"`
}

// archiveMessage is a message as written to messages.json.
type archiveMessage struct {
	ID         int64             `json:"id"`
	Key        string            `json:"key"`
	SentAt     time.Time         `json:"sent_at"`
	SenderWxID string            `json:"sender_wxid"`
	SenderName string            `json:"sender_name"`
	IsSelf     bool              `json:"is_self"`
	Kind       model.MessageKind `json:"kind"`
	Text       string            `json:"text"`
	Attachment *model.Attachment `json:"attachment,omitempty"`
	File       string            `json:"file,omitempty"` // path of the attachment inside the archive
}

type archiveConversation struct {
	ID           int64                  `json:"id"`
	Key          string                 `json:"key"`
	Kind         model.ConversationKind `json:"kind"`
	Title        string                 `json:"title"`
	Participants []model.Participant    `json:"participants"`
	Sources      []archiveSource        `json:"sources"`
	Messages     []archiveMessage       `json:"messages"`
}

type archiveSource struct {
	FileName string `json:"file_name"`
	Format   string `json:"format"`
	SHA256   string `json:"sha256"`
}

// tarWriter writes files to a tar stream and remembers their digests.
type tarWriter struct {
	tw       *tar.Writer
	at       time.Time
	manifest *Manifest
}

func (t *tarWriter) add(path string, data []byte) error {
	if err := t.tw.WriteHeader(&tar.Header{Name: path, Mode: 0o600, Size: int64(len(data)), ModTime: t.at,
		Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		return err
	}
	if _, err := t.tw.Write(data); err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	t.manifest.Files = append(t.manifest.Files, ManifestFile{Path: path, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))})
	return nil
}

// ExportMonth writes the archive of one month (Asia/Shanghai) to w,
// encrypted to the recipients: a tar with, per conversation that has
// messages in the month, messages.json and a readable index.html, the
// attachments kept in the blob store, and manifest.json with the SHA-256 of
// every file. `age -d -i key.txt FILE | tar x` opens it.
func (s *Service) ExportMonth(ctx context.Context, month string, recipients []age.Recipient, w io.Writer, now time.Time) (*Manifest, error) {
	from, to, err := MonthRange(month)
	if err != nil {
		return nil, err
	}
	enc, err := age.Encrypt(w, recipients...)
	if err != nil {
		return nil, err
	}
	m := &Manifest{Month: month, From: from.UTC(), To: to.UTC(), CreatedAt: now.UTC()}
	tw := &tarWriter{tw: tar.NewWriter(enc), at: now, manifest: m}
	convs, err := s.DB.Conversations(ctx)
	if err != nil {
		return nil, err
	}
	storedFiles := map[string]string{}
	for _, c := range convs {
		if c.Messages == 0 || !c.LastAt.After(from.Add(-time.Second)) || !c.FirstAt.Before(to) {
			continue
		}
		ac := archiveConversation{ID: c.ID, Key: c.Key, Kind: c.Kind, Title: c.Title, Participants: c.Participants}
		imports, err := s.DB.ChatImports(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, imp := range imports {
			ac.Sources = append(ac.Sources, archiveSource{imp.FileName, imp.Format, imp.SHA256})
		}
		for after := int64(0); ; {
			page, err := s.DB.Messages(ctx, store.MessageFilter{ConversationID: c.ID, From: from, To: to, AfterID: after, Limit: 5000})
			if err != nil {
				return nil, err
			}
			for _, msg := range page {
				am := archiveMessage{ID: msg.ID, Key: msg.Key, SentAt: msg.SentAt, SenderWxID: msg.SenderWxID,
					SenderName: msg.SenderName, IsSelf: msg.IsSelf, Kind: msg.Kind, Text: msg.Text, Attachment: msg.Attachment}
				if a := msg.Attachment; a != nil && a.BlobID != "" {
					path, ok := storedFiles[a.BlobID]
					if !ok {
						path = "attachments/" + a.BlobID + "/" + safeName(a.Name, a.BlobID)
						if err := s.addBlob(tw, path, a.BlobID); err != nil {
							return nil, err
						}
						storedFiles[a.BlobID] = path
					}
					am.File = path
				}
				ac.Messages = append(ac.Messages, am)
			}
			if len(page) < 5000 {
				break
			}
			after = page[len(page)-1].ID
		}
		if len(ac.Messages) == 0 {
			continue
		}
		dir := fmt.Sprintf("conversations/%d/", c.ID)
		js, err := json.MarshalIndent(ac, "", "  ")
		if err != nil {
			return nil, err
		}
		if err := tw.add(dir+"messages.json", js); err != nil {
			return nil, err
		}
		var page bytes.Buffer
		if err := conversationHTML.Execute(&page, htmlData(ac, month)); err != nil {
			return nil, err
		}
		if err := tw.add(dir+"index.html", page.Bytes()); err != nil {
			return nil, err
		}
		m.Conversations++
		m.Messages += len(ac.Messages)
	}
	files := m.Files
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := tw.add("manifest.json", mj); err != nil {
		return nil, err
	}
	m.Files = files
	if err := tw.tw.Close(); err != nil {
		return nil, err
	}
	return m, enc.Close()
}

func (s *Service) addBlob(tw *tarWriter, path, sha string) error {
	r, err := s.Blobs.Open(sha)
	if err != nil {
		return fmt.Errorf("附件 %s 无法读取：%w", sha, err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("附件 %s 校验失败：%w", sha, err)
	}
	return tw.add(path, data)
}

// safeName keeps a file name usable inside the archive.
func safeName(name, fallback string) string {
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < 0x20 {
			return '_'
		}
		return r
	}, name)
	if name == "" || name == "." || name == ".." {
		return fallback
	}
	return name
}
