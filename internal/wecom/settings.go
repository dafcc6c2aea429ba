package wecom

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/atomicfile"
	"github.com/lvxin/lvxin/internal/store"
)

// Settings are the firm's WeCom connection. Secret, Token and
// EncodingAESKey are secrets: stored encrypted (AES-256-GCM with the data
// folder's keys/wecom.key) and never shown again after saving.
type Settings struct {
	CorpID         string    `json:"corp_id"`
	AgentID        int64     `json:"agent_id"`
	Secret         string    `json:"secret"`
	Token          string    `json:"token"`
	EncodingAESKey string    `json:"encoding_aes_key"`
	BaseURL        string    `json:"base_url"` // "" means DefaultBaseURL
	UpdatedAt      time.Time `json:"updated_at"`
}

// SettingsView is what the settings page may show: no secret, only
// whether each is set.
type SettingsView struct {
	CorpID     string
	AgentID    int64
	BaseURL    string
	HasSecret  bool
	HasToken   bool
	HasAESKey  bool
	Configured bool // callbacks can be verified (token and key set)
	UpdatedAt  time.Time
}

// View hides the secrets.
func (s Settings) View() SettingsView {
	return SettingsView{CorpID: s.CorpID, AgentID: s.AgentID, BaseURL: s.BaseURL, HasSecret: s.Secret != "",
		HasToken: s.Token != "", HasAESKey: s.EncodingAESKey != "", Configured: s.Token != "" && s.EncodingAESKey != "",
		UpdatedAt: s.UpdatedAt}
}

// SettingsInput is a settings form. An empty secret field keeps the saved
// value (the page never shows it, so an untouched field is empty).
type SettingsInput struct {
	CorpID         string
	AgentID        string
	Secret         string
	Token          string
	EncodingAESKey string
	BaseURL        string
}

// FieldError names the form field a settings error belongs to.
type FieldError struct {
	Field string // corp_id, agent_id, secret, token, aes_key, base_url
	Msg   string
}

func (e *FieldError) Error() string { return e.Msg }

// Unwrap makes every field error an ErrConfig.
func (e *FieldError) Unwrap() error { return ErrConfig }

// merge validates in over the saved settings.
func (in SettingsInput) merge(old Settings) (Settings, error) {
	s := old
	s.CorpID = strings.TrimSpace(in.CorpID)
	if s.CorpID == "" || len(s.CorpID) > 64 || strings.ContainsAny(s.CorpID, " \t\r\n") {
		return s, &FieldError{"corp_id", "企业 ID 不能为空，应为企业微信管理后台「我的企业」中的企业 ID（如 ww 开头的 18 位）"}
	}
	if a := strings.TrimSpace(in.AgentID); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n <= 0 {
			return s, &FieldError{"agent_id", fmt.Sprintf("应用 AgentId 应为正整数，收到 %q", a)}
		}
		s.AgentID = n
	} else {
		s.AgentID = 0
	}
	if v := strings.TrimSpace(in.Secret); v != "" {
		if len(v) > 128 {
			return s, &FieldError{"secret", "应用 Secret 过长"}
		}
		s.Secret = v
	}
	if v := strings.TrimSpace(in.Token); v != "" {
		if !validToken(v) {
			return s, &FieldError{"token", "Token 应为 3 到 32 位英文字母或数字"}
		}
		s.Token = v
	}
	if v := strings.TrimSpace(in.EncodingAESKey); v != "" {
		if _, err := DecodeAESKey(v); err != nil {
			return s, &FieldError{"aes_key", "EncodingAESKey 应为 43 位字母或数字（企业微信后台随机生成的值）"}
		}
		s.EncodingAESKey = v
	}
	s.BaseURL = strings.TrimRight(strings.TrimSpace(in.BaseURL), "/")
	if s.BaseURL == DefaultBaseURL {
		s.BaseURL = ""
	}
	if s.BaseURL != "" {
		u, err := url.Parse(s.BaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
			return s, &FieldError{"base_url", fmt.Sprintf("接口地址应为 https://主机名，收到 %q；留空即使用 %s", s.BaseURL, DefaultBaseURL)}
		}
	}
	return s, nil
}

// settingsKey is the settings row holding the sealed settings.
const settingsKey = "wecom.settings"

// KeyFile is the AES-256 key that seals the WeCom settings, relative to the
// data folder (backed up with the other keys).
const KeyFile = "keys/wecom.key"

// loadOrCreateKey reads the settings key, generating it at first use.
func loadOrCreateKey(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, KeyFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := atomicfile.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("无法创建密钥目录：%w", err)
		}
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		content := "# lvxin 企业微信设置加密密钥（AES-256）。丢失此文件需重新填写企业微信的 Secret、Token 与 EncodingAESKey。\n" +
			hex.EncodeToString(key) + "\n"
		if err := atomicfile.WriteFile(path, []byte(content), 0o600); err != nil {
			return nil, fmt.Errorf("无法写入密钥文件 %s：%w", path, err)
		}
		return key, nil
	}
	if err != nil {
		return nil, fmt.Errorf("无法读取密钥文件 %s：%w", path, err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, err := hex.DecodeString(line)
		if err != nil || len(key) != 32 {
			break
		}
		return key, nil
	}
	return nil, fmt.Errorf("密钥文件 %s 无效：应包含 64 位十六进制的 AES-256 密钥", path)
}

// seal encrypts the settings JSON: "v1:" + base64(nonce ‖ AES-GCM sealed).
// The settings key name is the additional data, so the value cannot be
// moved to another row.
func seal(key []byte, plain []byte) (string, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := gcm.Seal(nonce, nonce, plain, []byte(settingsKey))
	return "v1:" + base64.StdEncoding.EncodeToString(out), nil
}

func unseal(key []byte, sealed string) ([]byte, error) {
	raw, ok := strings.CutPrefix(sealed, "v1:")
	if !ok {
		return nil, errors.New("企业微信设置的存储格式无法识别")
	}
	data, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return nil, errors.New("企业微信设置的存储格式无法识别")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	if len(data) < gcm.NonceSize() {
		return nil, errors.New("企业微信设置已损坏")
	}
	plain, err := gcm.Open(nil, data[:gcm.NonceSize()], data[gcm.NonceSize():], []byte(settingsKey))
	if err != nil {
		return nil, fmt.Errorf("无法解密企业微信设置：数据目录中的 %s 与保存设置时的不同，请重新填写设置", KeyFile)
	}
	return plain, nil
}

// loadSettings reads and decrypts the saved settings; zero Settings when
// none were saved.
func loadSettings(ctx context.Context, db *store.DB, key []byte) (Settings, error) {
	v, err := db.Setting(ctx, settingsKey)
	if errors.Is(err, store.ErrNotFound) {
		return Settings{}, nil
	}
	if err != nil {
		return Settings{}, err
	}
	plain, err := unseal(key, v)
	if err != nil {
		return Settings{}, err
	}
	var s Settings
	if err := json.Unmarshal(plain, &s); err != nil {
		return Settings{}, fmt.Errorf("企业微信设置已损坏：%w", err)
	}
	return s, nil
}
