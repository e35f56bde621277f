" Vim syntax file for Zong (https://github.com/ — see the zong repository README)
if exists("b:current_syntax")
  finish
endif

syn keyword zongConditional if else
syn keyword zongRepeat loop for
syn keyword zongStatement break continue return
syn keyword zongKeyword func struct var extern
syn keyword zongReserved case chan const default defer fallthrough go goto import interface map package range select switch type
syn keyword zongBoolean true false
syn keyword zongType I8 I16 I32 I64 U8 U16 U32 U64 Boolean
syn keyword zongBuiltin print print_bytes read_line append print_int eprint eprint_bytes format_int parse_int bytes_equal bytes_compare args exit read_file write_file append_file
syn match zongNumber "\<[0-9][0-9_]*\>"
syn match zongNumber "\<0[xX][0-9A-Fa-f_]\+\>"
syn match zongNumber "\<0[bB][01_]\+\>"
syn match zongUserType "\<[A-Z][A-Za-z0-9_]*\>"
syn match zongEscape contained "\\[n\\\"]"
syn match zongBadEscape contained "\\[^n\\\"]"
syn region zongString start=+"+ skip=+\\.+ end=+"+ contains=zongEscape,zongBadEscape
syn match zongLineComment "//.*$"
syn region zongBlockComment start="/\*" end="\*/"

hi def link zongConditional Conditional
hi def link zongRepeat Repeat
hi def link zongStatement Statement
hi def link zongKeyword Keyword
hi def link zongReserved Error
hi def link zongBoolean Boolean
hi def link zongType Type
hi def link zongUserType Type
hi def link zongBuiltin Function
hi def link zongNumber Number
hi def link zongString String
hi def link zongEscape SpecialChar
hi def link zongBadEscape Error
hi def link zongLineComment Comment
hi def link zongBlockComment Comment

let b:current_syntax = "zong"
