package wecom

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The API calls lvxin makes, in WeCom's documented request and response
// shapes (developer.work.weixin.qq.com): messages (kf and app), welcome
// messages, external contacts, corp tags, customer groups and customer
// transfer.

type textContent struct {
	Content string `json:"content"`
}

// SendKFText sends a text message from a kf account to a WeChat user who
// wrote to it (kf/send_msg). WeCom allows it within 48 hours of the user's
// last message, at most 5 messages.
func (c *Client) SendKFText(ctx context.Context, openKFID, externalUserID, text string) error {
	if openKFID == "" || externalUserID == "" || strings.TrimSpace(text) == "" {
		return fmt.Errorf("%w：客服消息缺少 open_kfid、客户 ID 或内容", ErrConfig)
	}
	body := map[string]any{"touser": externalUserID, "open_kfid": openKFID, "msgtype": "text",
		"text": textContent{text}}
	return c.call(ctx, http.MethodPost, "/cgi-bin/kf/send_msg", nil, body, nil)
}

// SendKFWelcome answers a kf enter_session event with its welcome_code
// (kf/send_msg_on_event): within 20 seconds, once.
func (c *Client) SendKFWelcome(ctx context.Context, welcomeCode, text string) error {
	if welcomeCode == "" || strings.TrimSpace(text) == "" {
		return fmt.Errorf("%w：欢迎语缺少 code 或内容", ErrConfig)
	}
	body := map[string]any{"code": welcomeCode, "msgtype": "text", "text": textContent{text}}
	return c.call(ctx, http.MethodPost, "/cgi-bin/kf/send_msg_on_event", nil, body, nil)
}

// SendAppText sends a text app message to firm members (message/send).
func (c *Client) SendAppText(ctx context.Context, weComUserIDs []string, text string) error {
	if len(weComUserIDs) == 0 || strings.TrimSpace(text) == "" {
		return fmt.Errorf("%w：应用消息缺少接收成员或内容", ErrConfig)
	}
	if c.agentID == 0 {
		return fmt.Errorf("%w：未设置应用 AgentId，无法发送应用消息", ErrConfig)
	}
	body := map[string]any{"touser": strings.Join(weComUserIDs, "|"), "msgtype": "text", "agentid": c.agentID,
		"text": textContent{text}}
	var out struct {
		InvalidUser string `json:"invaliduser"`
	}
	if err := c.call(ctx, http.MethodPost, "/cgi-bin/message/send", nil, body, &out); err != nil {
		return err
	}
	if out.InvalidUser != "" {
		return fmt.Errorf("应用消息未送达这些成员（userid 无效或不在应用可见范围）：%s", out.InvalidUser)
	}
	return nil
}

// SendWelcome sends the welcome message of a new external contact
// (externalcontact/send_welcome_msg) with the add event's welcome_code:
// within 20 seconds of the event, once.
func (c *Client) SendWelcome(ctx context.Context, welcomeCode, text string) error {
	if welcomeCode == "" || strings.TrimSpace(text) == "" {
		return fmt.Errorf("%w：欢迎语缺少 welcome_code 或内容", ErrConfig)
	}
	body := map[string]any{"welcome_code": welcomeCode, "text": textContent{text}}
	return c.call(ctx, http.MethodPost, "/cgi-bin/externalcontact/send_welcome_msg", nil, body, nil)
}

// ListExternalContacts lists the external_userids of a member's customers
// (externalcontact/list).
func (c *Client) ListExternalContacts(ctx context.Context, weComUserID string) ([]string, error) {
	var out struct {
		ExternalUserID []string `json:"external_userid"`
	}
	err := c.call(ctx, http.MethodGet, "/cgi-bin/externalcontact/list", url.Values{"userid": {weComUserID}}, nil, &out)
	return out.ExternalUserID, err
}

// ExternalContact is a customer with the members who added them.
type ExternalContact struct {
	ExternalUserID string `json:"external_userid"`
	Name           string `json:"name"`
	Type           int    `json:"type"` // 1 WeChat user, 2 WeCom user
	Avatar         string `json:"avatar"`
	Gender         int    `json:"gender"`
	CorpName       string `json:"corp_name"`
	UnionID        string `json:"unionid"`
	FollowUsers    []FollowUser
}

// FollowUser is a member who added the customer, with the corp tags that
// member put on them.
type FollowUser struct {
	UserID      string   `json:"userid"`
	Remark      string   `json:"remark"`
	Description string   `json:"description"`
	CreateTime  int64    `json:"createtime"`
	Tags        []TagRef `json:"tags"`
	State       string   `json:"state"`
	AddWay      int      `json:"add_way"`
}

// TagRef is a tag on a customer. Type 1 is a corp tag, 2 a member's
// personal tag, 3 a rule tag.
type TagRef struct {
	GroupName string `json:"group_name"`
	TagName   string `json:"tag_name"`
	TagID     string `json:"tag_id"`
	Type      int    `json:"type"`
}

// GetExternalContact reads one customer (externalcontact/get), following
// next_cursor until every member who added them is read.
func (c *Client) GetExternalContact(ctx context.Context, externalUserID string) (*ExternalContact, error) {
	var contact *ExternalContact
	cursor := ""
	for page := 0; page < 100; page++ {
		var out struct {
			ExternalContact ExternalContact `json:"external_contact"`
			FollowUser      []FollowUser    `json:"follow_user"`
			NextCursor      string          `json:"next_cursor"`
		}
		q := url.Values{"external_userid": {externalUserID}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		if err := c.call(ctx, http.MethodGet, "/cgi-bin/externalcontact/get", q, nil, &out); err != nil {
			return nil, err
		}
		if contact == nil {
			ec := out.ExternalContact
			contact = &ec
		}
		contact.FollowUsers = append(contact.FollowUsers, out.FollowUser...)
		if cursor = out.NextCursor; cursor == "" {
			return contact, nil
		}
	}
	return contact, nil
}

// TagGroup is a group of corp tags.
type TagGroup struct {
	GroupID   string    `json:"group_id"`
	GroupName string    `json:"group_name"`
	Deleted   bool      `json:"deleted"`
	Tags      []CorpTag `json:"tag"`
}

// CorpTag is one corp tag (企业标签).
type CorpTag struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Deleted bool   `json:"deleted"`
}

// CorpTags lists the corp tags (externalcontact/get_corp_tag_list).
func (c *Client) CorpTags(ctx context.Context) ([]TagGroup, error) {
	var out struct {
		TagGroup []TagGroup `json:"tag_group"`
	}
	err := c.call(ctx, http.MethodPost, "/cgi-bin/externalcontact/get_corp_tag_list", nil, map[string]any{}, &out)
	return out.TagGroup, err
}

// AddCorpTags adds tags to a tag group, creating the group when groupID is
// empty (externalcontact/add_corp_tag), and returns the group with the new
// tags' ids.
func (c *Client) AddCorpTags(ctx context.Context, groupID, groupName string, names []string) (TagGroup, error) {
	tags := make([]map[string]string, len(names))
	for i, n := range names {
		tags[i] = map[string]string{"name": n}
	}
	body := map[string]any{"tag": tags}
	if groupID != "" {
		body["group_id"] = groupID
	} else {
		body["group_name"] = groupName
	}
	var out struct {
		TagGroup TagGroup `json:"tag_group"`
	}
	err := c.call(ctx, http.MethodPost, "/cgi-bin/externalcontact/add_corp_tag", nil, body, &out)
	return out.TagGroup, err
}

// MarkTags adds and removes corp tags on a customer as seen by one member
// (externalcontact/mark_tag).
func (c *Client) MarkTags(ctx context.Context, weComUserID, externalUserID string, add, remove []string) error {
	if len(add) == 0 && len(remove) == 0 {
		return nil
	}
	body := map[string]any{"userid": weComUserID, "external_userid": externalUserID}
	if len(add) > 0 {
		body["add_tag"] = add
	}
	if len(remove) > 0 {
		body["remove_tag"] = remove
	}
	return c.call(ctx, http.MethodPost, "/cgi-bin/externalcontact/mark_tag", nil, body, nil)
}

// GroupChatRef is one customer group in a list.
type GroupChatRef struct {
	ChatID string `json:"chat_id"`
	Status int    `json:"status"`
}

// ListGroupChats lists customer groups (externalcontact/groupchat/list),
// optionally only those owned by the given members, following next_cursor.
func (c *Client) ListGroupChats(ctx context.Context, ownerUserIDs []string) ([]GroupChatRef, error) {
	var all []GroupChatRef
	cursor := ""
	for page := 0; page < 1000; page++ {
		body := map[string]any{"status_filter": 0, "limit": 1000}
		if len(ownerUserIDs) > 0 {
			body["owner_filter"] = map[string]any{"userid_list": ownerUserIDs}
		}
		if cursor != "" {
			body["cursor"] = cursor
		}
		var out struct {
			List       []GroupChatRef `json:"group_chat_list"`
			NextCursor string         `json:"next_cursor"`
		}
		if err := c.call(ctx, http.MethodPost, "/cgi-bin/externalcontact/groupchat/list", nil, body, &out); err != nil {
			return nil, err
		}
		all = append(all, out.List...)
		if cursor = out.NextCursor; cursor == "" {
			break
		}
	}
	return all, nil
}

// GroupChat is a customer group with its members.
type GroupChat struct {
	ChatID     string        `json:"chat_id"`
	Name       string        `json:"name"`
	Owner      string        `json:"owner"`
	CreateTime int64         `json:"create_time"`
	Notice     string        `json:"notice"`
	Members    []GroupMember `json:"member_list"`
	Admins     []struct {
		UserID string `json:"userid"`
	} `json:"admin_list"`
}

// GroupMember is a member of a customer group. Type 1 is a firm member, 2
// an external contact.
type GroupMember struct {
	UserID        string `json:"userid"`
	Type          int    `json:"type"`
	JoinTime      int64  `json:"join_time"`
	JoinScene     int    `json:"join_scene"`
	GroupNickname string `json:"group_nickname"`
	Name          string `json:"name"`
	UnionID       string `json:"unionid"`
}

// GetGroupChat reads one customer group with its members
// (externalcontact/groupchat/get).
func (c *Client) GetGroupChat(ctx context.Context, chatID string) (*GroupChat, error) {
	var out struct {
		GroupChat GroupChat `json:"group_chat"`
	}
	err := c.call(ctx, http.MethodPost, "/cgi-bin/externalcontact/groupchat/get", nil,
		map[string]any{"chat_id": chatID, "need_name": 1}, &out)
	if err != nil {
		return nil, err
	}
	return &out.GroupChat, nil
}

// KFMessage is one message or event of kf/sync_msg.
type KFMessage struct {
	MsgID          string `json:"msgid"`
	OpenKFID       string `json:"open_kfid"`
	ExternalUserID string `json:"external_userid"`
	SendTime       int64  `json:"send_time"`
	Origin         int    `json:"origin"` // 3 the WeChat user, 4 a system event, 5 a servicer
	ServicerUserID string `json:"servicer_userid"`
	MsgType        string `json:"msgtype"`
	Text           *struct {
		Content string `json:"content"`
	} `json:"text"`
	Event *struct {
		EventType      string `json:"event_type"`
		OpenKFID       string `json:"open_kfid"`
		ExternalUserID string `json:"external_userid"`
		Scene          string `json:"scene"`
		WelcomeCode    string `json:"welcome_code"`
	} `json:"event"`
}

// KFSyncResult is one page of kf/sync_msg.
type KFSyncResult struct {
	NextCursor string      `json:"next_cursor"`
	HasMore    int         `json:"has_more"`
	Messages   []KFMessage `json:"msg_list"`
}

// SyncKFMessages reads one page of kf messages after cursor
// (kf/sync_msg). token is the Token of the kf_msg_or_event callback, which
// lifts the rate limit for that pull.
func (c *Client) SyncKFMessages(ctx context.Context, openKFID, cursor, token string, limit int) (*KFSyncResult, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	body := map[string]any{"limit": limit, "open_kfid": openKFID}
	if cursor != "" {
		body["cursor"] = cursor
	}
	if token != "" {
		body["token"] = token
	}
	var out KFSyncResult
	if err := c.call(ctx, http.MethodPost, "/cgi-bin/kf/sync_msg", nil, body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// TransferResult is WeCom's answer for one customer of a transfer.
type TransferResult struct {
	ExternalUserID string `json:"external_userid"`
	ErrCode        int    `json:"errcode"`
}

// TransferCustomers hands customers of a member who stays to another member
// (在职继承, externalcontact/transfer_customer). The customer gets msg (or
// WeCom's default notice) and has 24 hours to refuse.
func (c *Client) TransferCustomers(ctx context.Context, handover, takeover string, externalUserIDs []string, msg string) ([]TransferResult, error) {
	body := map[string]any{"handover_userid": handover, "takeover_userid": takeover, "external_userid": externalUserIDs}
	if msg != "" {
		body["transfer_success_msg"] = msg
	}
	var out struct {
		Customer []TransferResult `json:"customer"`
	}
	err := c.call(ctx, http.MethodPost, "/cgi-bin/externalcontact/transfer_customer", nil, body, &out)
	return out.Customer, err
}

// TransferResignedCustomers hands customers of a member who left to another
// member (离职继承, externalcontact/resigned/transfer_customer).
func (c *Client) TransferResignedCustomers(ctx context.Context, handover, takeover string, externalUserIDs []string) ([]TransferResult, error) {
	body := map[string]any{"handover_userid": handover, "takeover_userid": takeover, "external_userid": externalUserIDs}
	var out struct {
		Customer []TransferResult `json:"customer"`
	}
	err := c.call(ctx, http.MethodPost, "/cgi-bin/externalcontact/resigned/transfer_customer", nil, body, &out)
	return out.Customer, err
}
