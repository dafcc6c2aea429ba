package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// MinRate is the slowest an upload may arrive: Bytes within every Window.
type MinRate struct {
	Bytes  int64
	Window time.Duration
}

// DefaultUploadMinRate lets a real upload over a poor mobile link (about
// 2 KB/s) finish and cuts off a client that sends a byte every few seconds.
var DefaultUploadMinRate = MinRate{Bytes: 64 << 10, Window: 30 * time.Second}

// DefaultFormReadTimeout bounds reading the body of a request that is not
// an upload (at most a few hundred KiB).
const DefaultFormReadTimeout = 30 * time.Second

// uploadMemory is how much of a multipart body is kept in memory; the rest
// of each file goes to a temporary file, so a 1 GB upload does not grow the
// process.
const uploadMemory = 1 << 20

const bodyKey ctxKey = 2

// bodyRule is the body rule of a route.
type bodyRule struct {
	limit  int64 // bytes; on an upload route 0 means Config.MaxUpload
	upload bool  // multipart allowed, minimum rate instead of a fixed deadline
}

// limits caps every request body before anything reads it: the route's cap
// (Config.MaxUpload on upload routes, the route table's or defaultBodyLimit
// elsewhere), answered with 413 when the declared length is already too
// large. It sets read deadlines on the connection while a body is read: a
// fixed one for forms, and on upload routes one that moves forward each
// time MinRate's bytes arrive, so a slow real upload finishes and a
// trickle is cut off. The deadlines are on the socket and use the real
// clock. net/http lifts them when the body has been read to its end and it
// starts reading the connection in the background (to notice a client
// going away); a request without a body gets none, because that
// background read is already running and a deadline would cancel the
// request's context while a long handler (a download) is at work.
func (s *Server) limits(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		rule, ok := s.bodyRules[pattern]
		switch {
		case !ok:
			rule = bodyRule{limit: defaultBodyLimit}
		case rule.upload && (rule.limit == 0 || rule.limit > s.cfg.MaxUpload):
			rule.limit = s.cfg.MaxUpload
		}
		if r.ContentLength > rule.limit {
			s.tooLarge(w, r, rule)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			rc := http.NewResponseController(w)
			r.Body = http.MaxBytesReader(w, r.Body, rule.limit)
			wait := s.cfg.FormReadTimeout
			if rule.upload {
				wait = s.cfg.UploadMinRate.Window
				r.Body = &minRateReader{ReadCloser: r.Body, rc: rc, rate: s.cfg.UploadMinRate}
			}
			_ = rc.SetReadDeadline(time.Now().Add(wait)) // unsupported only by test recorders
		}
		r = r.WithContext(context.WithValue(r.Context(), bodyKey, rule))
		next.ServeHTTP(w, r)
		// The server removes the temporary files of the request it made,
		// not of this copy.
		if r.MultipartForm != nil {
			r.MultipartForm.RemoveAll()
		}
	})
}

// parseBody reads the form of a POST within the route's rule: multipart
// (files to temporary files beyond uploadMemory) on upload routes only,
// urlencoded elsewhere. It answers the request and returns false when the
// body is too large, too slow or malformed.
func (s *Server) parseBody(w http.ResponseWriter, r *http.Request) bool {
	rule, _ := r.Context().Value(bodyKey).(bodyRule)
	var err error
	if rule.upload {
		if err = r.ParseMultipartForm(uploadMemory); errors.Is(err, http.ErrNotMultipart) {
			err = nil
		}
		// Read to the end of the body (past the closing boundary): there
		// the server lifts the deadline and starts watching for the client
		// going away. More than a little after the form is refused.
		if err == nil {
			var n int64
			if n, err = io.Copy(io.Discard, io.LimitReader(r.Body, 64<<10+1)); err == nil && n > 64<<10 {
				err = errors.New("data after the multipart form")
			}
		}
	} else {
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return true
	case errors.As(err, &tooBig):
		s.tooLarge(w, r, rule)
	case errors.Is(err, os.ErrDeadlineExceeded):
		w.Header().Set("Connection", "close")
		s.render(w, r, http.StatusRequestTimeout, "error", page{Title: "上传过慢", Error: "上传速度过慢，连接已断开。请检查网络后重试。", Data: http.StatusRequestTimeout})
	default:
		s.renderError(w, r, http.StatusBadRequest, "表单无法解析。")
	}
	return false
}

// tooLarge answers 413 with the route's cap.
func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request, rule bodyRule) {
	s.cfg.Logger.Warn("request body over its cap", "path", r.URL.Path, "limit", rule.limit, "declared", r.ContentLength, "ip", clientOf(r).IP)
	w.Header().Set("Connection", "close")
	msg := fmt.Sprintf("提交的内容过大：此处最多接受 %s。", sizeText(rule.limit))
	if rule.upload {
		msg = fmt.Sprintf("上传的文件过大：每次上传最多 %s。更大的文件请分批上传，或请管理员调整上传上限。", sizeText(rule.limit))
	}
	s.render(w, r, http.StatusRequestEntityTooLarge, "error", page{Title: "内容过大", Error: msg, Data: http.StatusRequestEntityTooLarge})
}

// sizeText writes a byte count the way the UI does: 8 KB, 2 MB, 4 GB.
func sizeText(n int64) string {
	units := []string{"B", "KB", "MB", "GB", "TB"}
	v, i := float64(n), 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// minRateReader moves the connection's read deadline forward by Window
// each time Bytes more have arrived, until the end of the body (where the
// server has lifted the deadline for its background read, which must keep
// none).
type minRateReader struct {
	io.ReadCloser
	rc   *http.ResponseController
	rate MinRate
	got  int64 // bytes since the deadline last moved
}

func (m *minRateReader) Read(p []byte) (int, error) {
	n, err := m.ReadCloser.Read(p)
	if m.got += int64(n); m.got >= m.rate.Bytes && err == nil {
		m.got = 0
		_ = m.rc.SetReadDeadline(time.Now().Add(m.rate.Window))
	}
	return n, err
}
