package clientbook

import (
	"context"
	"fmt"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
)

// DemoPerson is one person of the fictional demo firm.
type DemoPerson struct {
	Username, DisplayName string
	Role                  model.Role
}

// DemoPeople are the demo firm's staff: two lawyers and an assistant.
var DemoPeople = []DemoPerson{
	{"demo-zhang", "张明律师", model.RoleLawyer},
	{"demo-li", "李静律师", model.RoleLawyer},
	{"demo-wang", "王助理", model.RoleAssistant},
}

// DemoUser is a created demo account with its one-time password.
type DemoUser struct {
	User     *model.User
	Password string
}

// DemoSummary counts what SeedDemo loaded.
type DemoSummary struct{ Contacts, Matters, Consultations int }

// SeedDemo loads a small fictional firm's client book for users created
// from DemoPeople (in that order): contacts with tags and stars, a matter
// in every status, consultations with a conversion. All names are invented.
func (s *Service) SeedDemo(ctx context.Context, users []DemoUser) (DemoSummary, error) {
	var sum DemoSummary
	if len(users) < 3 {
		return sum, invalid("演示数据需要两名律师和一名助理")
	}
	zhang := &auth.Principal{User: users[0].User}
	li := &auth.Principal{User: users[1].User}
	assistant := users[2].User.ID
	contacts := []*model.Contact{
		{Kind: model.ContactOrg, Name: "北京云杉示例科技有限公司", USCC: "91110105MA0000000Y", Phone: "010-65000001", Tags: []string{"现有客户", "科技行业"}, Starred: true, Source: "老客户介绍"},
		{Kind: model.ContactOrg, Name: "上海青禾示例贸易有限公司", Phone: "021-50000002", Tags: []string{"潜在客户"}, Source: "公众号"},
		{Kind: model.ContactPerson, Name: "赵示例", WeChatID: "zhao_demo", Phone: "13900000011", Tags: []string{"现有客户"}, Source: "朋友推荐"},
		{Kind: model.ContactPerson, Name: "钱示例", Phone: "13900000012", Tags: []string{"潜在客户"}, Source: "公众号"},
		{Kind: model.ContactPerson, Name: "孙律师（示例律所）", Phone: "13900000013", Tags: []string{"同行律师"}, Source: "行业活动"},
		{Kind: model.ContactOrg, Name: "深圳远帆示例物流股份有限公司", Tags: []string{"现有客户"}, Starred: true, Source: "老客户介绍"},
	}
	for _, c := range contacts {
		if err := s.CreateContact(ctx, zhang, c); err != nil {
			return sum, fmt.Errorf("演示联系人 %s：%w", c.Name, err)
		}
		sum.Contacts++
	}
	today := s.today()
	day := func(daysAgo int) time.Time { return today.AddDate(0, 0, -daysAgo) }
	party := func(c *model.Contact, role model.PartyRole) model.Party {
		return model.Party{ContactID: c.ID, Name: c.Name, Kind: c.Kind, Role: role, USCC: c.USCC, Phone: c.Phone}
	}
	type plan struct {
		lead   *auth.Principal
		m      model.Matter
		status model.MatterStatus
		at     time.Time
	}
	plans := []plan{
		{zhang, model.Matter{Title: "云杉科技诉青禾贸易买卖合同纠纷", Type: model.MatterCommercial, CaseNumber: "(2025)京0105民初10001号",
			Court: "北京市朝阳区人民法院", AssistantIDs: []int64{assistant},
			Parties: []model.Party{party(contacts[0], model.PartyClient), {Name: "杭州示例原料有限公司", Kind: model.ContactOrg, Role: model.PartyOpposing}}},
			model.MatterInProgress, day(60)},
		{zhang, model.Matter{Title: "赵示例劳动争议仲裁", Type: model.MatterLabor, Court: "北京市朝阳区劳动人事争议仲裁委员会",
			Parties: []model.Party{party(contacts[2], model.PartyClient), {Name: "北京示例餐饮管理有限公司", Kind: model.ContactOrg, Role: model.PartyOpposing}}},
			model.MatterEngaged, day(10)},
		{li, model.Matter{Title: "远帆物流常年法律顾问", Type: model.MatterRetainer, SharedWithIDs: []int64{users[0].User.ID},
			Parties: []model.Party{party(contacts[5], model.PartyClient)}},
			model.MatterInProgress, day(200)},
		{li, model.Matter{Title: "钱示例房屋租赁咨询", Type: model.MatterCivil,
			Parties: []model.Party{party(contacts[3], model.PartyClient)}},
			model.MatterConsulting, time.Time{}},
		{zhang, model.Matter{Title: "云杉科技股权转让非诉项目", Type: model.MatterNonLitigation, AssistantIDs: []int64{assistant},
			Parties: []model.Party{party(contacts[0], model.PartyClient)}},
			model.MatterClosed, day(5)},
		{li, model.Matter{Title: "远帆物流运输合同纠纷", Type: model.MatterCommercial, CaseNumber: "(2024)粤0304民初20002号",
			Court:   "深圳市福田区人民法院",
			Parties: []model.Party{party(contacts[5], model.PartyClient), {Name: "广州示例货运代理有限公司", Kind: model.ContactOrg, Role: model.PartyOpposing}}},
			model.MatterArchived, day(120)},
	}
	var firstMatter int64
	for _, pl := range plans {
		m := pl.m
		m.Status = model.MatterConsulting
		if _, err := s.CreateMatter(ctx, pl.lead, &m); err != nil {
			return sum, fmt.Errorf("演示案件 %s：%w", m.Title, err)
		}
		if firstMatter == 0 {
			firstMatter = m.ID
		}
		if pl.status != model.MatterConsulting {
			engaged := pl.at.AddDate(0, 0, -90)
			if _, err := s.SetStatus(ctx, pl.lead, m.ID, model.MatterEngaged, engaged); err != nil {
				return sum, err
			}
			if pl.status.Rank() >= model.MatterClosed.Rank() {
				if _, err := s.SetStatus(ctx, pl.lead, m.ID, model.MatterClosed, pl.at); err != nil {
					return sum, err
				}
			}
			if _, err := s.SetStatus(ctx, pl.lead, m.ID, pl.status, pl.at); err != nil {
				return sum, err
			}
		}
		sum.Matters++
	}
	consults := []struct {
		who     *auth.Principal
		contact *model.Contact
		topic   string
		daysAgo int
		minutes int
	}{
		{zhang, contacts[0], "合同违约责任", 70, 25},
		{zhang, contacts[2], "被辞退能否主张赔偿", 12, 14},
		{li, contacts[3], "租房押金不退", 3, 9},
		{li, contacts[1], "跨境贸易合规", 40, 30},
	}
	for i, k := range consults {
		start := s.now().AddDate(0, 0, -k.daysAgo)
		c := &model.Consultation{ContactID: k.contact.ID, Channel: Channels[i%len(Channels)], Topic: k.topic, Free: true,
			StartedAt: start, EndedAt: start.Add(time.Duration(k.minutes) * time.Minute)}
		if i == 0 {
			c.MatterID = firstMatter // converted into the first matter
		}
		if err := s.StartConsultation(ctx, k.who, c); err != nil {
			return sum, err
		}
		sum.Consultations++
	}
	return sum, nil
}
