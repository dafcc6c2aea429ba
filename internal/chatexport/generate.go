package chatexport

import (
	"bufio"
	"encoding/csv"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// GenerateWeChatMsgCSV writes a realistic WeChatMsg (留痕) CSV export of n
// messages to w, for benchmarks and load tests: UTF-8 with BOM, Chinese chat
// text built from phrases a legal consultation uses, emoji, a few quoted
// commas and line breaks, images, voice, files, links, system and revoked
// messages, across three one-to-one chats and two groups. The same seed
// gives the same bytes. Message text averages about 35 bytes; the columns
// WeChatMsg writes around it bring a row to roughly 130 bytes.
func GenerateWeChatMsgCSV(w io.Writer, n int, seed int64) error {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6c7678696e))
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.Write(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write([]string{"localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status", "StrContent", "StrTime", "Remark", "NickName", "Sender"}); err != nil {
		return err
	}
	at := time.Date(2023, 6, 1, 9, 0, 0, 0, shanghai)
	row := make([]string, 12)
	for i := range n {
		chat := &generatedChats[rng.IntN(len(generatedChats))]
		at = at.Add(time.Duration(rng.IntN(90)) * time.Second)
		member := chat.members[rng.IntN(len(chat.members))]
		self := rng.IntN(3) == 0
		if self {
			member = generatedSelf
		}
		typ, sub, content := generatedContent(rng)
		if typ == wxTypeSystem {
			member = generatedPerson{}
		}
		isSender := "0"
		if self && typ != wxTypeSystem {
			isSender = "1"
		}
		row[0] = strconv.Itoa(i + 1)
		row[1] = chat.talkerID
		row[2] = strconv.Itoa(typ)
		row[3] = strconv.Itoa(sub)
		row[4] = isSender
		row[5] = strconv.FormatInt(at.Unix(), 10)
		row[6] = "2"
		row[7] = content
		row[8] = at.Format(time.DateTime)
		row[9], row[10], row[11] = member.remark, member.nickname, member.wxid
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

type generatedPerson struct{ wxid, nickname, remark string }

type generatedChat struct {
	talkerID string
	members  []generatedPerson
}

var generatedSelf = generatedPerson{"wxid_lawyer_zhang", "张律师", ""}

var generatedChats = []generatedChat{
	{"11", []generatedPerson{{"wxid_wangwu123", "王五", "王总"}}},
	{"12", []generatedPerson{{"wxid_zhaoliu88", "赵六", "赵女士 租赁"}}},
	{"13", []generatedPerson{{"chen_ming_1990", "陈明", ""}}},
	{"21", []generatedPerson{{"wxid_wangwu123", "王五", "王总"}, {"wxid_lisi456", "李四", ""}, {"wxid_assist01", "小刘", "助理小刘"}}},
	{"22", []generatedPerson{{"wxid_sunqi", "孙七", ""}, {"wxid_zhouba", "周八", "周会计"}, {"wxid_wujiu", "吴九", ""}, {"wxid_zhengshi", "郑十", ""}}},
}

var generatedPhrases = []string{
	"张律师您好", "合同我看过了", "押金的事怎么办", "明天上午有空吗", "好的", "收到",
	"对方一直不回复", "我把聊天记录截图发您", "开庭时间定在下周三", "需要准备哪些材料",
	"身份证复印件和劳动合同", "仲裁申请书已经提交", "请确认一下金额", "谢谢律师🙏", "辛苦了",
	"房东说押金不退", "这个条款对我们不利", "诉讼时效还有多久", "我再问问家里人👨‍👩‍👧",
	"证据要公证吗", "好的，稍后电话联系", "👍", "😂😂", "嗯嗯", "您看这样可以吗？",
	"违约金约定的是百分之二十", "公司拖欠了三个月工资", "律师费怎么收", "晚点发您",
}

// generatedContent draws one message: mostly text, some media and notices.
func generatedContent(rng *rand.Rand) (typ, sub int, content string) {
	switch r := rng.IntN(100); {
	case r < 4:
		return wxTypeImage, 0, `<msg><img md5="` + strconv.FormatUint(rng.Uint64(), 16) + `" length="20480"/></msg>`
	case r < 6:
		return wxTypeVoice, 0, `<msg><voicemsg voicelength="3000" clientmsgid="` + strconv.FormatUint(rng.Uint64(), 16) + `"/></msg>`
	case r < 7:
		return wxTypeApp, wxAppFile, "<msg><appmsg><title>证据" + strconv.Itoa(rng.IntN(99)) + ".pdf</title><type>6</type><appattach><totallen>18181</totallen></appattach></appmsg></msg>"
	case r < 8:
		return wxTypeApp, wxAppLink, "<msg><appmsg><title>民法典合同编</title><type>5</type><url>https://flk.npc.gov.cn/detail2.html</url></appmsg></msg>"
	case r < 9:
		return wxTypeSystem, 0, `"王五" 撤回了一条消息`
	case r < 10:
		return wxTypeSticker, 0, `<msg><emoji cdnurl="http://emoji.qpic.cn/wx_emoji/x/0"/></msg>`
	}
	var b strings.Builder
	for parts := 1 + rng.IntN(2); parts > 0; parts-- {
		if b.Len() > 0 {
			b.WriteString(generatedSeparators[rng.IntN(len(generatedSeparators))])
		}
		b.WriteString(generatedPhrases[rng.IntN(len(generatedPhrases))])
	}
	return wxTypeText, 0, b.String()
}

var generatedSeparators = []string{"，", "。", "，", " ", ",", "\n", "！"}
