package wecom

import (
	"context"
	"fmt"
	"net/http"
)

// Customer handover (客户继承) beyond the transfer calls themselves: the
// customers of members who left (离职继承) and the status of each handover.
//
// Shapes checked on 2026-12-06 against WeCom's developer documentation as
// stored by the search tool:
//   - get_unassigned_list: developer.work.weixin.qq.com/document/path/92124
//     (and the same text at /document/path/96330): POST
//     /cgi-bin/externalcontact/get_unassigned_list, body {"cursor", "page_size"}
//     (page_size defaults to and is at most 1000; page_id is the older
//     alternative to cursor), answer {"errcode", "errmsg", "info":
//     [{"handover_userid", "external_userid", "dimission_time"}], "is_last",
//     "next_cursor"}; next_cursor is "" once everything is read.
//   - resigned/transfer_result: /document/path/96333 (离职继承, "查询客户接替状态");
//     transfer_result (在职继承) as a stored copy of /document/path/94088
//     (apifox mirror) shows it, with the same shapes: POST
//     body {"handover_userid", "takeover_userid", "cursor"}, answer
//     {"customer": [{"external_userid", "status", "takeover_time"}],
//     "next_cursor"}; status 1 接替完毕, 2 等待接替, 3 客户拒绝, 4 接替成员客户
//     达到上限; takeover_time is the (future, while waiting) takeover time.
//   - resigned/transfer_customer and transfer_customer: a customer's errcode 0
//     means "开始分配流程，待24小时后自动接替，并不代表最终分配成功"
//     (/document/path/96331), which is why a transfer's report calls those
//     customers pending.

// maxPages bounds a cursor walk: a server that keeps answering a cursor
// cannot keep lvxin paging for ever (1000 pages of 1000 rows is far more
// than any firm has).
const maxPages = 1000

// UnassignedCustomer is one row of get_unassigned_list: a customer of a
// member who left and whose customers were not yet handed on.
type UnassignedCustomer struct {
	HandoverUserID string `json:"handover_userid"`
	ExternalUserID string `json:"external_userid"`
	DimissionTime  int64  `json:"dimission_time"` // Unix seconds
}

// UnassignedCustomers lists the external_userids of the customers a member
// who left (handover) still has unassigned (externalcontact/
// get_unassigned_list), following next_cursor across every page and keeping
// only that member's rows. WeCom lists every departed member's customers
// in one list; externalcontact/list no longer serves a member who left.
func (c *Client) UnassignedCustomers(ctx context.Context, handover string) ([]string, error) {
	if handover == "" {
		return nil, fmt.Errorf("%w：查询离职成员的客户须指定成员 userid", ErrConfig)
	}
	var ids []string
	seen := map[string]bool{}
	cursor := ""
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("企业微信接口 /cgi-bin/externalcontact/get_unassigned_list 翻页超过 %d 页仍未结束", maxPages)
		}
		body := map[string]any{"cursor": cursor, "page_size": 1000}
		var out struct {
			Info       []UnassignedCustomer `json:"info"`
			IsLast     bool                 `json:"is_last"`
			NextCursor string               `json:"next_cursor"`
		}
		if err := c.call(ctx, http.MethodPost, "/cgi-bin/externalcontact/get_unassigned_list", nil, body, &out); err != nil {
			return nil, err
		}
		for _, row := range out.Info {
			if row.HandoverUserID == handover && row.ExternalUserID != "" && !seen[row.ExternalUserID] {
				seen[row.ExternalUserID] = true
				ids = append(ids, row.ExternalUserID)
			}
		}
		if out.IsLast || out.NextCursor == "" || out.NextCursor == cursor {
			return ids, nil
		}
		cursor = out.NextCursor
	}
}

// Handover statuses of transfer_result.
const (
	HandoverDone     = 1 // 接替完毕
	HandoverWaiting  = 2 // 等待接替
	HandoverRefused  = 3 // 客户拒绝
	HandoverFull     = 4 // 接替成员客户达到上限
	HandoverNoRecord = 5 // 无接替记录 (get_transfer_result, the older call)
)

// HandoverStatus is WeCom's answer for one customer of a handover.
type HandoverStatus struct {
	ExternalUserID string `json:"external_userid"`
	Status         int    `json:"status"`
	TakeoverTime   int64  `json:"takeover_time"` // Unix seconds; the coming takeover while waiting
}

// Label is the status in Chinese.
func (h HandoverStatus) Label() string {
	switch h.Status {
	case HandoverDone:
		return "接替完毕"
	case HandoverWaiting:
		return "等待接替"
	case HandoverRefused:
		return "客户拒绝"
	case HandoverFull:
		return "接替成员的客户数已达上限"
	case HandoverNoRecord:
		return "无接替记录"
	}
	return fmt.Sprintf("未知状态 %d", h.Status)
}

// TransferStatuses reads the handover status of every customer handover
// passed to takeover (externalcontact/transfer_result for 在职继承,
// externalcontact/resigned/transfer_result for 离职继承), following
// next_cursor.
func (c *Client) TransferStatuses(ctx context.Context, handover, takeover string, resigned bool) ([]HandoverStatus, error) {
	if handover == "" || takeover == "" {
		return nil, fmt.Errorf("%w：查询接替状态须指定交接成员与接替成员的 userid", ErrConfig)
	}
	path := "/cgi-bin/externalcontact/transfer_result"
	if resigned {
		path = "/cgi-bin/externalcontact/resigned/transfer_result"
	}
	var all []HandoverStatus
	cursor := ""
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("企业微信接口 %s 翻页超过 %d 页仍未结束", path, maxPages)
		}
		body := map[string]any{"handover_userid": handover, "takeover_userid": takeover}
		if cursor != "" {
			body["cursor"] = cursor
		}
		var out struct {
			Customer   []HandoverStatus `json:"customer"`
			NextCursor string           `json:"next_cursor"`
		}
		if err := c.call(ctx, http.MethodPost, path, nil, body, &out); err != nil {
			return nil, err
		}
		all = append(all, out.Customer...)
		if out.NextCursor == "" || out.NextCursor == cursor {
			return all, nil
		}
		cursor = out.NextCursor
	}
}
