package contactio

import (
	"errors"
	"strings"
	"testing"
)

func TestValidUSCC(t *testing.T) {
	tests := []struct {
		code    string
		wantErr bool
		mention string
	}{
		// GB 32100-2015's own example and codes printed on well-known licences.
		{"91350100M000100Y43", false, ""},
		{"9144030071526726XG", false, ""}, // 腾讯科技（深圳）有限公司
		{"91110108551385082Q", false, ""}, // 小米科技有限责任公司
		{"91440300708461136T", false, ""}, // 华为技术有限公司
		{"91330100716105852F", false, ""},
		{"91350100M000100Y44", true, "校验码应为 3"},
		{"91350100M000100Y4", true, "18位"},
		{"91350100M000100Y433", true, "18位"},
		{"91350100M000100I43", true, "第16位"},
		{"91350100m000100Y43", true, "第9位"},
		{"913501A0M000100Y43", true, "行政区划码"},
		{"", true, "18位"},
		{"９１350100M000100Y43", true, "第1位"},
	}
	for _, tt := range tests {
		err := ValidUSCC(tt.code)
		if (err != nil) != tt.wantErr {
			t.Errorf("ValidUSCC(%q) = %v, want error %v", tt.code, err, tt.wantErr)
			continue
		}
		if err != nil && (!errors.Is(err, ErrBadUSCC) || !strings.Contains(err.Error(), tt.mention)) {
			t.Errorf("ValidUSCC(%q) = %v, want ErrBadUSCC mentioning %q", tt.code, err, tt.mention)
		}
	}
}

func TestValidIDNumber(t *testing.T) {
	tests := []struct {
		id      string
		wantErr bool
		mention string
	}{
		{"11010519491231002X", false, ""}, // GB 11643-1999 example
		{"11010519491231002x", false, ""},
		{"440524188001010014", false, ""}, // GB 11643-1999 example
		{"110101199003074477", false, ""},
		{"110105491231002", false, ""}, // 15-digit, born 1949-12-31
		{"110105194912310021", true, "校验码应为 X"},
		{"110105194913310025", true, "出生日期"},
		{"110105194902300026", true, "出生日期"},
		{"11010519491231002", true, "18位"},
		{"1101051949123100X2", true, "前17位"},
		{"11010549123100A", true, "15位"},
		{"110105491331002", true, "出生日期"},
	}
	for _, tt := range tests {
		err := ValidIDNumber(tt.id)
		if (err != nil) != tt.wantErr {
			t.Errorf("ValidIDNumber(%q) = %v, want error %v", tt.id, err, tt.wantErr)
			continue
		}
		if err != nil && (!errors.Is(err, ErrBadIDNumber) || !strings.Contains(err.Error(), tt.mention)) {
			t.Errorf("ValidIDNumber(%q) = %v, want ErrBadIDNumber mentioning %q", tt.id, err, tt.mention)
		}
	}
}

func TestValidPhoneAndEmail(t *testing.T) {
	for phone, ok := range map[string]bool{
		"13800138000": true, "138 0013 8000": true, "+86 138-0013-8000": true, "008619912345678": true,
		"010-65521234": true, "0755 8888 6666": true, "010-65521234-801": true, "4008123123": true,
		"1380013800": false, "12800138000": false, "138001380001": false, "abc": false, "65521234": false,
		"138-0013-800O": false,
	} {
		if err := ValidPhone(phone); (err == nil) != ok {
			t.Errorf("ValidPhone(%q) = %v, want ok %v", phone, err, ok)
		} else if err != nil && !errors.Is(err, ErrBadPhone) {
			t.Errorf("ValidPhone(%q) error %v is not ErrBadPhone", phone, err)
		}
	}
	for email, ok := range map[string]bool{
		"zhangsan@example.com": true, "a.b+c@lawfirm.com.cn": true,
		"zhangsan": false, "张三 <zs@example.com>": false, "zs@localhost": false, "zs@@example.com": false, " zs@example.com": false,
	} {
		if err := ValidEmail(email); (err == nil) != ok {
			t.Errorf("ValidEmail(%q) = %v, want ok %v", email, err, ok)
		} else if err != nil && !errors.Is(err, ErrBadEmail) {
			t.Errorf("ValidEmail(%q) error %v is not ErrBadEmail", email, err)
		}
	}
}
