package delivery

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// DocumentInput describes an uploaded document.
type DocumentInput struct {
	MatterID       int64
	Title          string // the file name when empty
	FileName       string
	Classification model.DocumentClass
}

// headWriter keeps the first bytes written to it (to sniff the type).
type headWriter struct{ buf []byte }

func (h *headWriter) Write(p []byte) (int, error) {
	if room := 512 - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func baseName(name string) (string, error) {
	name = filepath.Base(strings.ReplaceAll(strings.TrimSpace(name), "\\", "/"))
	if name == "" || name == "." || name == "/" {
		return "", fmt.Errorf("%w：请选择文件", model.ErrInvalidInput)
	}
	return cleanText("文件名", name, true)
}

// store streams r into the blob store (encrypted, never whole in memory)
// and refuses an empty file.
func (s *Service) store(ctx context.Context, fileName string, r io.Reader) (blob.Ref, string, error) {
	br := bufio.NewReader(r)
	if _, err := br.Peek(1); errors.Is(err, io.EOF) {
		return blob.Ref{}, "", fmt.Errorf("%w：文件 %s 是空文件（0 字节）", model.ErrInvalidInput, fileName)
	} else if err != nil {
		return blob.Ref{}, "", fmt.Errorf("读取文件 %s 失败：%w", fileName, err)
	}
	head := &headWriter{}
	ref, err := s.cfg.Blobs.Put(ctx, br, head)
	if err != nil {
		return blob.Ref{}, "", fmt.Errorf("保存文件 %s 失败：%w", fileName, err)
	}
	return ref, http.DetectContentType(head.buf), nil
}

// Upload stores a document of a matter actor may see: the file streams
// once into the encrypted blob store, then the record and its audit row
// are written in one transaction.
func (s *Service) Upload(ctx context.Context, actor *auth.Principal, client auth.Client, in DocumentInput, r io.Reader) (*model.Document, error) {
	if !in.Classification.Valid() {
		return nil, fmt.Errorf("%w：请选择文件密级（普通、保密或商业秘密）", model.ErrInvalidInput)
	}
	fileName, err := baseName(in.FileName)
	if err != nil {
		return nil, err
	}
	title, err := cleanText("文件名称", in.Title, false)
	if err != nil {
		return nil, err
	}
	if title == "" {
		title = fileName
	}
	if _, err := s.matter(ctx, actor, client, in.MatterID, "上传案件文件"); err != nil {
		return nil, err
	}
	ref, mediaType, err := s.store(ctx, fileName, r)
	if err != nil {
		return nil, err
	}
	uid, uname := actorOf(actor)
	d := &model.Document{MatterID: in.MatterID, Title: title, FileName: fileName, MediaType: mediaType,
		Classification: in.Classification, SHA256: ref.SHA256, Size: ref.Size, UploadedByID: uid, UploadedBy: uname,
		UploadedAt: s.now()}
	err = s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateDocument(ctx, d); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, client, "delivery.document", fmt.Sprintf("document/%d", d.ID),
			fmt.Sprintf("上传案件文件（%s，%s，SHA-256 %s）", d.Title, d.Classification.Label(), d.SHA256))
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// NDAInput describes a signed NDA being recorded.
type NDAInput struct {
	MatterID  int64
	Recipient string
	SignedOn  string // YYYY-MM-DD
	FileName  string
}

// RecordNDA records a signed NDA with its signed copy (streamed into the
// encrypted blob store).
func (s *Service) RecordNDA(ctx context.Context, actor *auth.Principal, client auth.Client, in NDAInput, r io.Reader) (*model.NDA, error) {
	recipient, err := cleanText("签署人", in.Recipient, true)
	if err != nil {
		return nil, err
	}
	day, err := calendar.ParseDate(strings.TrimSpace(in.SignedOn))
	if err != nil {
		return nil, fmt.Errorf("%w：“签署日期”应为日期，例如 2026-12-01", model.ErrInvalidInput)
	}
	if today := calendar.DateOf(s.now().In(calendar.Shanghai)); day.After(today) {
		return nil, fmt.Errorf("%w：“签署日期” %s 晚于今天", model.ErrInvalidInput, day)
	}
	fileName, err := baseName(in.FileName)
	if err != nil {
		return nil, fmt.Errorf("%w：请上传已签署的保密协议文件", model.ErrInvalidInput)
	}
	if _, err := s.matter(ctx, actor, client, in.MatterID, "登记保密协议"); err != nil {
		return nil, err
	}
	ref, _, err := s.store(ctx, fileName, r)
	if err != nil {
		return nil, err
	}
	uid, uname := actorOf(actor)
	n := &model.NDA{MatterID: in.MatterID, Recipient: recipient, SignedOn: day.String(), FileName: fileName,
		SHA256: ref.SHA256, Size: ref.Size, RecordedByID: uid, RecordedBy: uname, RecordedAt: s.now()}
	err = s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateNDA(ctx, n, RecipientKey(recipient)); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, client, "delivery.nda", fmt.Sprintf("nda/%d", n.ID),
			fmt.Sprintf("登记保密协议（签署人 %s，签署日期 %s，SHA-256 %s）", n.Recipient, n.SignedOn, n.SHA256))
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// Document returns a document of a matter actor may see.
func (s *Service) Document(ctx context.Context, actor *auth.Principal, client auth.Client, id int64) (*model.Document, error) {
	d, err := s.cfg.DB.Document(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, s.deny(ctx, actor, client, fmt.Sprintf("document/%d", id), "查看案件文件")
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.matter(ctx, actor, client, d.MatterID, fmt.Sprintf("查看案件文件 #%d", id)); err != nil {
		return nil, err
	}
	return d, nil
}

// OpenDocument returns a document and its plaintext for a user who may see
// its matter; the download is audited.
func (s *Service) OpenDocument(ctx context.Context, actor *auth.Principal, client auth.Client, id int64) (*model.Document, io.ReadCloser, error) {
	d, err := s.Document(ctx, actor, client, id)
	if err != nil {
		return nil, nil, err
	}
	uid, uname := actorOf(actor)
	if err := s.cfg.DB.Audit(ctx, &model.AuditEvent{ActorID: uid, Actor: uname, Action: "delivery.document.download",
		Target: fmt.Sprintf("document/%d", id), Detail: "下载案件文件：" + d.Title, IP: client.IP}); err != nil {
		return nil, nil, err
	}
	rc, err := s.cfg.Blobs.Open(d.SHA256)
	if err != nil {
		return nil, nil, err
	}
	return d, rc, nil
}
