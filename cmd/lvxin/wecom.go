package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/notify"
	"github.com/lvxin/lvxin/internal/wecom"
)

func init() {
	moduleCommands = append(moduleCommands, newWeComCmd)
}

func newWeComCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "wecom",
		Short: "企业微信：解密回调、向律信发送模拟回调",
	}
	cmd.AddCommand(newWeComDecryptCmd(), newWeComSimulateCmd())
	return cmd
}

// maxCallbackInput caps what wecom decrypt reads from stdin.
const maxCallbackInput = 1 << 20

func newWeComDecryptCmd() *cobra.Command {
	var token, aesKey, receiveID, signature, timestamp, nonce string
	cmd := &cobra.Command{
		Use:   "decrypt",
		Short: "校验并解密一条企业微信回调（从标准输入读取消息体 XML/JSON 或 echostr）",
		Long: "按企业微信的 WXBizMsgCrypt 方案校验签名并解密：标准输入为回调的消息体（XML 或 JSON），\n" +
			"或验证回调地址时 URL 中的 echostr（已做 URL 解码）。输出解密后的明文。\n" +
			"签名不符、密钥无效或接收方 ID 不符时报错并以退出码 1 结束。时间戳只检查格式（抓取的回调必然是旧的）。",
		Example: "  lvxin wecom decrypt --token QDG6eK --aes-key jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C \\\n" +
			"    --receive-id wx5823bf96d3bd56c7 --msg-signature 5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3 \\\n" +
			"    --timestamp 1409659589 --nonce 263014780 <<< 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=='",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for name, v := range map[string]string{"--token": token, "--aes-key": aesKey, "--msg-signature": signature,
				"--timestamp": timestamp, "--nonce": nonce} {
				if v == "" {
					return usageErr("缺少 %s", name)
				}
			}
			data, err := io.ReadAll(io.LimitReader(cmd.InOrStdin(), maxCallbackInput+1))
			if err != nil {
				return fmt.Errorf("读取标准输入失败：%v", err)
			}
			if len(data) > maxCallbackInput {
				return fmt.Errorf("标准输入超过 1 MB，不像一条企业微信回调")
			}
			plain, err := wecom.DecryptOffline(token, aesKey, receiveID,
				wecom.Query{MsgSignature: signature, Timestamp: timestamp, Nonce: nonce}, data)
			if err != nil {
				return &exitError{code: 1, msg: err.Error()}
			}
			out := cmd.OutOrStdout()
			if _, err := out.Write(plain); err != nil {
				return err
			}
			_, err = fmt.Fprintln(out)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&token, "token", "", "回调 Token")
	f.StringVar(&aesKey, "aes-key", "", "EncodingAESKey（43 位）")
	f.StringVar(&receiveID, "receive-id", "", "接收方 ID（企业 ID 或套件 ID；留空则不检查）")
	f.StringVar(&signature, "msg-signature", "", "URL 中的 msg_signature")
	f.StringVar(&timestamp, "timestamp", "", "URL 中的 timestamp")
	f.StringVar(&nonce, "nonce", "", "URL 中的 nonce")
	return cmd
}

func newWeComSimulateCmd() *cobra.Command {
	var callbackURL, token, aesKey, corpID, kind string
	var o wecom.SimOptions
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "向运行中的律信发送签名正确的加密回调（客户消息、添加客户、客户群变更）",
		Long: "不需要企业微信账号即可测试配置、看到消息中心工作：按企业微信的格式加密并签名一条回调，发送到\n" +
			"律信的回调地址（/wecom/callback）。Token、EncodingAESKey 与企业 ID 须与律信「企业微信」设置页中保存的相同。\n" +
			"模拟的客户消息（--kind message）把消息内容放在回调中，律信不调用 kf/sync_msg 直接交给消息中心（渠道为 simulator）。",
		Example: "  lvxin wecom simulate --url http://127.0.0.1:8080/wecom/callback --token T --aes-key K --corp-id ww… --text '您好，请问开庭时间？'\n" +
			"  lvxin wecom simulate --url … --token T --aes-key K --corp-id ww… --kind add-contact",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for name, v := range map[string]string{"--url": callbackURL, "--token": token, "--aes-key": aesKey, "--corp-id": corpID} {
				if v == "" {
					return usageErr("缺少 %s", name)
				}
			}
			// The callback is stamped now, on the test clock when one is set
			// (a server on LVXIN_TEST_CLOCK checks its timestamp window).
			o.Kind, o.CorpID, o.At = wecom.SimKind(kind), corpID, time.Now()
			if hooks, _ := loadedHooks(); hooks.now != nil {
				o.At = hooks.now()
			}
			plain, err := wecom.SimPlaintext(o)
			if err != nil {
				return usageErr("%v", err)
			}
			c, err := wecom.New(wecom.Config{Token: token, EncodingAESKey: aesKey, ReceiveID: corpID})
			if err != nil {
				return usageErr("%v", err)
			}
			q, body, err := wecom.SealCallback(c, plain, o.At, "")
			if err != nil {
				return err
			}
			answer, err := wecom.PostCallback(cmd.Context(), &http.Client{Timeout: 15 * time.Second}, callbackURL, q, body)
			if err != nil {
				return &exitError{code: 1, msg: err.Error()}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已发送模拟回调（%s），律信应答：%s\n", o.Kind, answer)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&callbackURL, "url", "", "律信的回调地址，如 http://127.0.0.1:8080/wecom/callback")
	f.StringVar(&token, "token", "", "回调 Token（与设置页相同）")
	f.StringVar(&aesKey, "aes-key", "", "EncodingAESKey（与设置页相同）")
	f.StringVar(&corpID, "corp-id", "", "企业 ID（与设置页相同）")
	f.StringVar(&kind, "kind", string(wecom.SimMessage), "模拟的回调：message（客户消息）、add-contact（添加客户）、group（客户群变更）")
	f.StringVar(&o.Text, "text", "", "客户消息的内容（--kind message）")
	f.StringVar(&o.ExternalUserID, "external-userid", "", "客户的 external_userid（默认 wmLvxinSimulator）")
	f.StringVar(&o.OpenKFID, "open-kfid", "", "客服账号 open_kfid（默认 wkLvxinSimulator）")
	f.StringVar(&o.StaffUserID, "staff-userid", "", "添加客户的成员 userid（--kind add-contact，默认 lvxin-sim）")
	f.StringVar(&o.ChatID, "chat-id", "", "客户群 chat_id（--kind group）")
	f.StringVar(&o.MsgID, "msgid", "", "消息 ID（默认随机；重复发送同一 ID 可观察去重）")
	return cmd
}

// weComPusher delivers the notification centre's pushes as WeCom app
// messages to the user's linked WeCom account (wiring: notify.Pusher over
// wecom.Service). A user without a linked account, a frozen or disabled
// user, or a firm without WeCom settings, has no channel.
type weComPusher struct{ svc *wecom.Service }

func (p weComPusher) Push(ctx context.Context, u *model.User, n model.Notification) error {
	// A frozen user's phone may be lost: nothing goes to it until an admin
	// lifts the freeze (the bell still has it).
	if u.Frozen() || u.Disabled {
		return notify.ErrNoChannel
	}
	text := n.Title
	if n.Body != "" {
		text += "\n" + n.Body
	}
	err := p.svc.SendAppTextToUsers(ctx, []int64{u.ID}, "【律信】"+text)
	if errors.Is(err, wecom.ErrNoWeComAccount) || errors.Is(err, wecom.ErrNotConfigured) {
		return notify.ErrNoChannel
	}
	return err
}
