package redact

import (
	"strings"
	"testing"
)

// TestSensitiveAndAccounts covers the round-2 detectors: each case lists
// the findings expected as type:text, in order.
func TestSensitiveAndAccounts(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"原告张伟诉被告王芳民间借贷纠纷一案今天宣判。", []string{"person:张伟", "person:王芳"}},
		{"被告人李明系公司员工，王强向法院起诉。", []string{"person:李明", "person:王强"}},
		{"他老婆孙美玲说，妈妈刘秀英和爸爸张志强都知道，财务总监陈丽娟也签了字。",
			[]string{"person:孙美玲", "person:刘秀英", "person:张志强", "person:陈丽娟"}},
		{"周总说下周再谈，李姐也同意了。", []string{"person:周总", "person:李姐"}},
		{"女儿朵朵今年8岁，在海淀区实验小学二年级三班。", []string{"person:朵朵", "minor:8岁", "minor:海淀区实验小学二年级三班"}},
		{"当事人吴敏确诊中度抑郁，她的丈夫患有肺癌晚期。", []string{"person:吴敏", "health:中度抑郁", "health:肺癌晚期"}},
		{"加我微信：lawyer_wang88，或者 vx: zhangsan1990，QQ：12345678，扣扣 87654321。",
			[]string{"wechat:lawyer_wang88", "wechat:zhangsan1990", "qq:12345678", "qq:87654321"}},
		{"对方是wxid_abc123def456，社保卡号 320102199003071234。", []string{"wechat:wxid_abc123def456", "social_security:320102199003071234"}},
		{"被告王强每天早上7点在朝阳公园跑步。", []string{"person:王强", "whereabouts:每天早上7点在朝阳公园"}},
		{"车牌粤B·D12345和京AF12345，港澳通行证C12345678。", []string{"plate:粤B·D12345", "plate:京AF12345", "permit:C12345678"}},
		// Left alone: nobody is named, so conditions and ages are general.
		{"抑郁症患者在劳动合同中享有哪些权利？用人单位不得解除怀孕女职工的劳动合同。", nil},
		{"已满八周岁的未成年人为限制民事行为能力人。每天早上在公园锻炼有益健康。", nil},
		{"晚上常去小区门口的便利店。", nil},
		{"vxlan 配置和 qq音乐 都不是账号。", nil},
		{"公司要提高总量，王总是迟到。", nil},
		// Subjects of public news are not clients.
		{"据新华社报道，深圳市华强电子股份有限公司董事长王建国因内幕交易被罚款。", nil},
		{"据报道，王建国被罚款。当事人李娜今天来所里。", []string{"person:李娜"}},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range Detect(tt.text, Options{}) {
			got = append(got, string(f.Type)+":"+f.Text)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Detect(%q)\n got  %v\n want %v", tt.text, got, tt.want)
		}
	}
}

// TestOnePseudonymPerPerson: 李建华 and 李总 are one person, 朵朵 a child.
func TestOnePseudonymPerPerson(t *testing.T) {
	tests := []struct{ text, want string }{
		{"李建华是我们的老客户，李总这次又委托我们处理合同纠纷。", "李某是我们的老客户，李某这次又委托我们处理合同纠纷。"},
		{"原告李建华与被告李强和解，李总很满意。", "原告李某甲与被告李某乙和解，李某乙很满意。"},
		{"女儿朵朵今年8岁。", "女儿小某今年【未成年人信息】。"},
	}
	for _, tt := range tests {
		if got, _ := Redact(tt.text, StylePseudonym, Options{}); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestOwnDetails: the poster's own name, firm, phone and e-mail are
// reported as own and left in the redacted text.
func TestOwnDetails(t *testing.T) {
	opts := Options{Own: []string{"王明", "北京市正义律师事务所", "010-65001234", "wangming@zhengyi.cn", "lawyer_wangming"}}
	text := "北京市正义律师事务所王明律师提醒：当事人张伟的电话13812345678。咨询请致电010 6500 1234或加微信lawyer_wangming，邮箱wangming@zhengyi.cn。"
	out, findings := Redact(text, StylePseudonym, opts)
	own, other := 0, 0
	for _, f := range findings {
		if f.Own {
			own++
		} else {
			other++
		}
	}
	if own != 5 || other != 2 {
		t.Errorf("own %d, other %d: %+v", own, other, findings)
	}
	for _, keep := range []string{"北京市正义律师事务所王明律师", "010 6500 1234", "lawyer_wangming", "wangming@zhengyi.cn"} {
		if !strings.Contains(out, keep) {
			t.Errorf("own detail %q redacted: %s", keep, out)
		}
	}
	if strings.Contains(out, "张伟") || strings.Contains(out, "13812345678") {
		t.Errorf("client data kept: %s", out)
	}
}

func TestCategoryAndBasis(t *testing.T) {
	for _, typ := range AllTypes {
		if typ.Category() == "" || !strings.Contains(typ.LegalBasis(), "第") {
			t.Errorf("%s: category %q basis %q", typ, typ.Category(), typ.LegalBasis())
		}
	}
	if TypeHealth.Category() != "敏感个人信息·医疗健康" || !strings.Contains(TypeMinor.LegalBasis(), "第三十一条") {
		t.Error("health/minor category or basis wrong")
	}
}

// TestNamesAcrossWordBoundaries covers names that gse's words run across
// (客户王|雪, 罗|刚在, 曾|凡因, 和|龙晓梅), rare words after a role word
// (委托人付强), repeated names, and ordinary words that must stay alone.
func TestNamesAcrossWordBoundaries(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"被告方明辉至今未履行判决。", []string{"person:方明辉"}},
		{"员工孙刚在工地摔伤，腰椎骨折。", []string{"person:孙刚", "health:骨折"}},
		{"当事人叶子的丈夫曾凡因肝硬化住院。", []string{"person:叶子", "person:曾凡", "health:肝硬化"}},
		{"收到客户王雪的消息。", []string{"person:王雪"}},
		{"股东田建军和龙晓梅因为分红问题闹上法庭。", []string{"person:田建军", "person:龙晓梅"}},
		{"委托人付强的手机号被泄露。", []string{"person:付强"}},
		{"原告夏天诉被告李国庆离婚纠纷一案。", []string{"person:夏天", "person:李国庆"}},
		{"表哥周强借了他五万元。", []string{"person:周强"}},
		{"包工头雷军带着工人来所里咨询。", []string{"person:雷军"}},
		{"当事人葛优的妻子梅丽正在哺乳期。", []string{"person:葛优", "person:梅丽", "health:哺乳期"}},
		// A name found once is found again where the words alone say little.
		{"孙姐带着女儿孙瑶来咨询，孙瑶今年十岁。", []string{"person:孙姐", "person:孙瑶", "person:孙瑶", "minor:十岁"}},
		{"儿子汪浩然今年14岁，在外国语学校初二。", []string{"person:汪浩然", "minor:14岁", "minor:外国语学校初二"}},
		// Left alone.
		{"原告同意调解，被告向原告借款。", nil},
		{"工人来公司讨薪，老板避而不见。", nil},
		{"涉外商事律师两名，要求英语流利。", nil},
		{"原告白天上班，被告董事会不同意。", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range Detect(tt.text, Options{}) {
			got = append(got, string(f.Type)+":"+f.Text)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Detect(%q)\n got  %v\n want %v", tt.text, got, tt.want)
		}
	}
}

// TestPublicNames: public companies and bodies named outside a case are
// public facts; inside a case, or from the client book, they are reported.
func TestPublicNames(t *testing.T) {
	if _, err := parsePublic(publicText); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"腾讯控股有限公司\n", "甲公司\tlisted\n甲公司\tlisted\n", "甲公司\tfoo\n", " 甲公司\tbody\n"} {
		if _, err := parsePublic(bad); err == nil || !strings.Contains(err.Error(), "第") {
			t.Errorf("parsePublic(%q) = %v, want an error naming the line", bad, err)
		}
	}
	tests := []struct {
		text string
		opts Options
		want []string
	}{
		{"贵州茅台酒股份有限公司2025年净利润增长，股价创新高。", Options{}, nil},
		{"比亚迪股份有限公司发布了新车型，值得关注。", Options{}, nil},
		{"原告刘洋诉比亚迪股份有限公司产品责任纠纷一案。", Options{}, []string{"person:刘洋", "org:比亚迪股份有限公司"}},
		{"比亚迪股份有限公司发布了新车型。", KnownOptions(nil, []string{"比亚迪股份有限公司"}), []string{"org:比亚迪股份有限公司"}},
		{"杭州云帆科技有限公司发布了新车型。", Options{}, []string{"org:杭州云帆科技有限公司"}},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range Detect(tt.text, tt.opts) {
			got = append(got, string(f.Type)+":"+f.Text)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Detect(%q)\n got  %v\n want %v", tt.text, got, tt.want)
		}
	}
}

// TestNamesRound3: the fixes from heldout5's misses, on sentences of their
// own: rarer surnames, 被害人/一子 roles, references with rarer surnames,
// kinship nouns and frequent words that are never names.
func TestNamesRound3(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"婚后育有一子蒋明轩，现年六岁。", []string{"person:蒋明轩", "minor:六岁"}},
		{"被害人晏秋生被打成轻伤。", []string{"person:晏秋生", "health:轻伤"}},
		{"对方当事人贝海东拒不履行。", []string{"person:贝海东"}},
		{"来电的人自称是祁经理。", []string{"person:祁经理"}},
		{"感谢汤志华先生和常州恒润新材料有限公司的信任。", []string{"person:汤志华", "org:常州恒润新材料有限公司"}},
		{"第二顺序为兄弟姐妹、祖父母、外祖父母。", nil},
		{"用人单位应当书面通知劳动者本人。", nil},
		{"学校组织春游时孩子摔伤了。", nil},
		{"朴素的感谢最让人感动。", nil},
		{"阿哥的问题需要尽快处理。", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range Detect(tt.text, Options{}) {
			got = append(got, string(f.Type)+":"+f.Text)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Detect(%q)\n got  %v\n want %v", tt.text, got, tt.want)
		}
	}
}

// TestNamesRound4: the fixes from heldout6's misses, on sentences of their
// own.
func TestNamesRound4(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"男方范志成坚持要孩子，女方丁晓燕不同意。", []string{"person:范志成", "person:丁晓燕"}},
		{"欧阳晓峰开着他的车送孩子上学。", []string{"person:欧阳晓峰"}},
		{"郑建国的电话一直打不通。", []string{"person:郑建国"}},
		{"孩子的舅舅孙宏伟在群里说了这件事。", []string{"person:孙宏伟"}},
		{"申请人持L19283746号往来台湾通行证入境。", []string{"permit:L19283746"}},
		{"重庆渝兴汽车销售服务有限公司拒绝退款。", []string{"org:重庆渝兴汽车销售服务有限公司"}},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range Detect(tt.text, Options{}) {
			got = append(got, string(f.Type)+":"+f.Text)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Detect(%q)\n got  %v\n want %v", tt.text, got, tt.want)
		}
	}
}

// TestNamesRound5: the fixes from heldout7's misses, on sentences of their
// own.
func TestNamesRound5(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"主治医生许文涛在病历中写明了诊断。", []string{"person:许文涛"}},
		{"当事人洪晓东不同意调解。", []string{"person:洪晓东"}},
		{"大儿子查建民主张房子归他。", []string{"person:查建民"}},
		{"戴叔今年七十多岁，身体还好。", []string{"person:戴叔"}},
		{"原告米兰与被告王强同居多年。", []string{"person:米兰", "person:王强"}},
		{"持卡人骆美华从未在这家公司工作过。", []string{"person:骆美华"}},
		{"委托人陈露的女儿陈可欣今年八岁。", []string{"person:陈露", "person:陈可欣", "minor:八岁"}},
		{"原告王可以申请延期。", []string{}},
		{"今天唐少华来所里送锦旗。", []string{"person:唐少华"}},
		{"都写在合同的最后一页。", []string{}},
	}
	for _, tt := range tests {
		got := []string{}
		for _, f := range Detect(tt.text, Options{}) {
			got = append(got, string(f.Type)+":"+f.Text)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Detect(%q)\n got  %v\n want %v", tt.text, got, tt.want)
		}
	}
}

// TestRound6: the fixes from heldout9's misses, on sentences of their own.
func TestRound6(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"包工头胡大海带着工人来讨薪。", []string{"person:胡大海"}},
		{"委托人黄海燕的父亲去世了。", []string{"person:黄海燕"}},
		{"女儿由她抚养，对方每月支付抚养费。", []string{}},
		{"员工贾晓敏构成十级伤残，公司拒绝支付伤残补助金。", []string{"person:贾晓敏", "health:十级伤残"}},
	}
	for _, tt := range tests {
		got := []string{}
		for _, f := range Detect(tt.text, Options{}) {
			got = append(got, string(f.Type)+":"+f.Text)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Detect(%q)\n got  %v\n want %v", tt.text, got, tt.want)
		}
	}
}
