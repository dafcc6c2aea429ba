package evidence

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/lvxin/lvxin/internal/atomicfile"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/store"
)

// KeyFile is the log's signing key, relative to the data folder: the secret
// note key on the first line, the public verifier key on the second.
const KeyFile = "keys/ledger.key"

// vkeySetting records the public key in the database at key generation, so
// that a key file swapped for another one is refused.
const vkeySetting = "ledger_vkey"

// logKeys are the loaded signer and verifier.
type logKeys struct {
	signer   note.Signer
	verifier note.Verifier
	vkey     string
}

var firmSlug = regexp.MustCompile(`[^a-z0-9-]+`)

// originFor is "lvxin.local/<firm>/evidence" with the firm reduced to
// letters, digits and dashes (a random name when nothing is left).
func originFor(firm string) string {
	slug := strings.Trim(firmSlug.ReplaceAllString(strings.ToLower(firm), "-"), "-")
	if slug == "" {
		var b [4]byte
		_, _ = rand.Read(b[:])
		slug = "firm-" + hex.EncodeToString(b[:])
	}
	return "lvxin.local/" + slug + "/evidence"
}

// loadOrCreateKeys reads <data>/keys/ledger.key, generating it at first use.
func loadOrCreateKeys(ctx context.Context, db *store.DB, dataDir, firm string) (*logKeys, error) {
	path := filepath.Join(dataDir, KeyFile)
	var keys *logKeys
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.LockLedger(ctx); err != nil {
			return err
		}
		recorded, err := tx.Setting(ctx, vkeySetting)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		data, readErr := os.ReadFile(path)
		switch {
		case readErr == nil:
			keys, err = parseKeyFile(data)
			if err != nil {
				return fmt.Errorf("证据日志密钥文件 %s 无效：%w", path, err)
			}
			if recorded != "" && recorded != keys.vkey {
				return fmt.Errorf("证据日志密钥文件 %s 与数据库记录的公钥不一致（记录的公钥为 %s），拒绝使用", path, recorded)
			}
		case !errors.Is(readErr, os.ErrNotExist):
			return fmt.Errorf("无法读取证据日志密钥 %s：%w", path, readErr)
		case recorded != "":
			return fmt.Errorf("证据日志密钥文件 %s 缺失，但数据库中已有该日志（公钥 %s）：请从备份恢复密钥文件", path, recorded)
		default:
			skey, vkey, err := ledger.GenerateKey(originFor(firm))
			if err != nil {
				return err
			}
			if err := atomicfile.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				return err
			}
			if err := atomicfile.WriteFile(path, []byte(skey+"\n"+vkey+"\n"), 0o600); err != nil {
				return fmt.Errorf("无法写入证据日志密钥 %s：%w", path, err)
			}
			if keys, err = parseKeyFile([]byte(skey + "\n" + vkey + "\n")); err != nil {
				return err
			}
		}
		if recorded == "" {
			return tx.SetSetting(ctx, vkeySetting, keys.vkey)
		}
		return nil
	})
	return keys, err
}

func parseKeyFile(data []byte) (*logKeys, error) {
	lines := strings.Fields(string(data))
	if len(lines) != 2 {
		return nil, errors.New("应为两行：私钥与公钥")
	}
	signer, err := note.NewSigner(lines[0])
	if err != nil {
		return nil, err
	}
	verifier, err := note.NewVerifier(lines[1])
	if err != nil {
		return nil, err
	}
	if signer.Name() != verifier.Name() || signer.KeyHash() != verifier.KeyHash() {
		return nil, errors.New("私钥与公钥不匹配")
	}
	return &logKeys{signer: signer, verifier: verifier, vkey: lines[1]}, nil
}
