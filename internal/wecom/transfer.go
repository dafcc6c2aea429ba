package wecom

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// TransferRequest hands a lawyer's WeCom customers and lvxin matters to
// another firm member.
type TransferRequest struct {
	FromUserID int64 // the lawyer who leaves (or hands over)
	ToUserID   int64 // the successor
	// Resigned selects 离职继承 (the lawyer has left the firm's WeCom);
	// otherwise 在职继承, where each customer is told and may refuse within
	// 24 hours.
	Resigned bool
	// ContactIDs limits the transfer to these contacts (and the matters
	// where one of them is a client); empty means every customer of the
	// lawyer and every open matter they lead.
	ContactIDs []int64
	Message    string // 在职继承: the notice the customer gets; "" is WeCom's default
}

// TransferReport says what was moved.
type TransferReport struct {
	// Customers are the external_userids WeCom accepted. Accepted is not
	// done: WeCom hands each customer over within 24 hours unless the
	// customer refuses or the successor has too many customers
	// (Service.TransferStatus reads where each one stands).
	Customers []string
	Failed    map[string]string // external_userid -> Chinese reason
	Matters   []int64           // matters whose lead lawyer changed
	Results   []TransferResult  // WeCom's answer per customer
	From, To  store.WeComMember // the two members
	// Pending says the customers' handover is still under way in WeCom.
	Pending bool
	// Notice explains a transfer that found no customer to hand over.
	Notice string
}

// Transfer moves a lawyer's customers in WeCom and, in the same step, makes
// the successor lead lawyer of the matters of the customers WeCom accepted
// (all open matters for 离职继承 without ContactIDs), in one transaction
// with its audit row. WeCom goes first: if the lvxin transaction then
// fails, running the transfer again moves the matters (WeCom answers
// 40100 for the customers already moved, which counts as moved).
// Administrators only.
func (s *Service) Transfer(ctx context.Context, actor *model.User, req TransferRequest, ip string) (TransferReport, error) {
	rep := TransferReport{Failed: map[string]string{}}
	if err := s.requireAdmin(ctx, actor, "客户继承", ip); err != nil {
		return rep, err
	}
	if req.FromUserID == req.ToUserID {
		return rep, fmt.Errorf("%w：交接人与接替人不能是同一人", model.ErrInvalidInput)
	}
	var err error
	if rep.From, rep.To, err = s.handoverPair(ctx, req.FromUserID, req.ToUserID); err != nil {
		return rep, err
	}
	if rep.To.Disabled {
		return rep, fmt.Errorf("%w：接替人 %s 的账户已停用", model.ErrInvalidInput, rep.To.DisplayName)
	}
	c, err := s.Client(ctx)
	if err != nil {
		return rep, err
	}
	// Which customers.
	byExternal := map[string]int64{} // external_userid -> contact id (0: not in lvxin)
	var externals []string
	if len(req.ContactIDs) > 0 {
		for _, id := range req.ContactIDs {
			ct, err := s.db.ContactByID(ctx, id)
			if err != nil {
				return rep, fmt.Errorf("联系人 %d：%w", id, err)
			}
			if ct.WeComExternalUserID == "" {
				return rep, fmt.Errorf("%w：联系人「%s」没有关联企业微信客户", model.ErrInvalidInput, ct.Name)
			}
			byExternal[ct.WeComExternalUserID] = ct.ID
			externals = append(externals, ct.WeComExternalUserID)
		}
	} else if req.Resigned {
		// A member who left: WeCom no longer serves externalcontact/list
		// for them; their customers are in get_unassigned_list.
		ids, err := c.UnassignedCustomers(ctx, rep.From.WeComUserID)
		if err != nil {
			return rep, fmt.Errorf("读取离职成员 %s 待分配的客户失败：%w", rep.From.DisplayName, err)
		}
		if len(ids) == 0 {
			rep.Notice = fmt.Sprintf("企业微信中没有 %s 待分配的离职客户：该成员尚未在企业微信中办理离职，或其客户已全部分配", rep.From.DisplayName)
		}
		externals = ids
	} else {
		ids, err := c.ListExternalContacts(ctx, rep.From.WeComUserID)
		var apiErr *APIError
		if err != nil && !(errors.As(err, &apiErr) && apiErr.Code == 84061) {
			return rep, err
		}
		externals = ids
	}
	// WeCom takes at most 100 customers a call.
	for start := 0; start < len(externals); start += 100 {
		batch := externals[start:min(start+100, len(externals))]
		var res []TransferResult
		if req.Resigned {
			res, err = c.TransferResignedCustomers(ctx, rep.From.WeComUserID, rep.To.WeComUserID, batch)
		} else {
			res, err = c.TransferCustomers(ctx, rep.From.WeComUserID, rep.To.WeComUserID, batch, req.Message)
		}
		if err != nil {
			return rep, err
		}
		rep.Results = append(rep.Results, res...)
		for _, r := range res {
			if r.ErrCode == 0 || r.ErrCode == 40100 {
				rep.Customers = append(rep.Customers, r.ExternalUserID)
				rep.Pending = true
				continue
			}
			rep.Failed[r.ExternalUserID] = (&APIError{Path: "transfer_customer", Code: r.ErrCode}).Error()
		}
	}
	// The matters: of the accepted customers, or all open ones.
	var contactIDs []int64
	if len(req.ContactIDs) > 0 {
		for _, ext := range rep.Customers {
			if id := byExternal[ext]; id != 0 {
				contactIDs = append(contactIDs, id)
			}
		}
	}
	kind := "在职继承"
	if req.Resigned {
		kind = "离职继承"
	}
	if len(req.ContactIDs) > 0 && len(contactIDs) == 0 {
		s.audit(ctx, actor, "wecom.transfer", fmt.Sprintf("%s：%s → %s，企业微信未接受任何客户，案件未变更", kind,
			rep.From.DisplayName, rep.To.DisplayName), ip)
		return rep, nil
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		moved, err := tx.TransferMatters(ctx, req.FromUserID, req.ToUserID, contactIDs)
		if err != nil {
			return err
		}
		rep.Matters = moved
		detail := fmt.Sprintf("%s：%s → %s；企业微信已受理客户 %d 个（%s），接替待企业微信完成；案件 %d 件（%s）", kind,
			rep.From.DisplayName, rep.To.DisplayName, len(rep.Customers), strings.Join(rep.Customers, "、"), len(moved),
			store.MatterIDList(moved))
		if len(rep.Failed) > 0 {
			detail += fmt.Sprintf("；%d 个客户未能转移", len(rep.Failed))
		}
		if rep.Notice != "" {
			detail += "；" + rep.Notice
		}
		return tx.AppendAudit(ctx, auditEvent(actor, "wecom.transfer", fmt.Sprintf("用户 %d", req.FromUserID), detail, ip))
	})
	if err != nil {
		return rep, fmt.Errorf("企业微信中的客户已转移，但律信中的案件未能改派（可再次执行以完成）：%w", err)
	}
	return rep, nil
}

// TransferStatusRequest names a handover whose status is read.
type TransferStatusRequest struct {
	FromUserID, ToUserID int64
	Resigned             bool // 离职继承 (resigned/transfer_result), else 在职继承
}

// TransferStatusReport is where each customer of a handover stands in
// WeCom, with a count per status.
type TransferStatusReport struct {
	From, To  store.WeComMember
	Customers []HandoverStatus
	Counts    map[int]int       // status -> customers
	Names     map[string]string // external_userid -> the client book's name, where known
}

// Done says whether WeCom finished every handover (none still waiting).
func (r TransferStatusReport) Done() bool { return r.Counts[HandoverWaiting] == 0 }

// TransferStatus reads from WeCom where each customer handed from one
// member to another stands (接替完毕, 等待接替, 客户拒绝, 接替成员客户达到上限).
// A transfer's errcode 0 only starts the handover; this is how an
// administrator learns whether it finished. Administrators only; it reads
// no matter data.
func (s *Service) TransferStatus(ctx context.Context, actor *model.User, req TransferStatusRequest, ip string) (TransferStatusReport, error) {
	rep := TransferStatusReport{Counts: map[int]int{}}
	if err := s.requireAdmin(ctx, actor, "查询客户接替状态", ip); err != nil {
		return rep, err
	}
	var err error
	if rep.From, rep.To, err = s.handoverPair(ctx, req.FromUserID, req.ToUserID); err != nil {
		return rep, err
	}
	c, err := s.Client(ctx)
	if err != nil {
		return rep, err
	}
	if rep.Customers, err = c.TransferStatuses(ctx, rep.From.WeComUserID, rep.To.WeComUserID, req.Resigned); err != nil {
		return rep, fmt.Errorf("查询客户接替状态失败：%w", err)
	}
	ids := make([]string, len(rep.Customers))
	for i, h := range rep.Customers {
		rep.Counts[h.Status]++
		ids[i] = h.ExternalUserID
	}
	if rep.Names, err = s.db.ContactNamesByWeComIDs(ctx, ids); err != nil {
		return rep, err
	}
	return rep, nil
}

// handoverPair finds the two members of a handover; both must have a
// WeCom userid.
func (s *Service) handoverPair(ctx context.Context, fromUserID, toUserID int64) (from, to store.WeComMember, err error) {
	if fromUserID == toUserID {
		return from, to, fmt.Errorf("%w：交接人与接替人不能是同一人", model.ErrInvalidInput)
	}
	members, err := s.db.WeComMembers(ctx)
	if err != nil {
		return from, to, err
	}
	for _, m := range members {
		switch m.UserID {
		case fromUserID:
			from = m
		case toUserID:
			to = m
		}
	}
	if from.UserID == 0 || to.UserID == 0 {
		return from, to, fmt.Errorf("%w：交接人或接替人不存在", model.ErrInvalidInput)
	}
	if from.WeComUserID == "" || to.WeComUserID == "" {
		return from, to, fmt.Errorf("%w：交接人与接替人都须先关联企业微信账号（userid）", model.ErrInvalidInput)
	}
	return from, to, nil
}
