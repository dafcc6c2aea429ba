package model

import "errors"

// ErrInvalidInput is the one error for input that breaks a rule the user
// can fix (a field, a file, a line): every workflow wraps it with a Chinese
// message naming what was expected, and the web answers 400 with it.
var ErrInvalidInput = errors.New("输入有误")
