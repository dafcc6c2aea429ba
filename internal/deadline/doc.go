// Package deadline owns the legal period rules of Chinese civil, criminal,
// administrative, labour and arbitration procedure and their computation on a
// calendar.Calendar: the catalogue of rules (with stable ids and the statutes
// in the numbering in force), the counting of day, month, year and working-day
// periods, the roll-forward of a last day that falls on a rest day, and a
// self-explaining Result that says every step, statute and uncertainty in
// Chinese.
//
// Counting follows 民事诉讼法（2023年修正）第八十五条, 民法典第二百条至第二百零四条
// and 刑事诉讼法第一百零五条; see docs/CALENDAR.md.
package deadline
