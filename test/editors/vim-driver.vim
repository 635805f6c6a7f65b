" Driven by editors.test.ts: `vim -N -i NONE -n -es -u vim-driver.vim`. Loads the README's Vim +
" ALE configuration (DZ_CONFIG) unchanged, opens the zone (DZ_ZONE), lints, waits for the
" diagnostics to settle, asks for a hover, fixes one line, waits again, and writes what it saw
" as JSON to DZ_OUT. The assertions are in editors.test.ts.
let s:result = {'steps': []}
function! s:Note(s) abort
  call add(s:result.steps, a:s)
endfunction
function! s:Diags(buf) abort
  let l:out = []
  for l:d in ale#engine#GetLoclist(a:buf)
    " ALE's loclist: 1-based lnum/col, `code` as the server sent it.
    call add(l:out, {'code': get(l:d, 'code', ''), 'line': l:d.lnum - 1, 'col': l:d.col - 1, 'type': get(l:d, 'type', '')})
  endfor
  return sort(l:out, {a, b -> (a.line * 1000 + a.col) - (b.line * 1000 + b.col)})
endfunction
function! s:Has(ds, code) abort
  return len(filter(copy(a:ds), {_, d -> d.code is# a:code})) > 0
endfunction
" Waits until Pred holds and the diagnostics stayed the same for a second.
function! s:Settle(what, buf, Pred) abort
  let l:last = '' | let l:since = reltime() | let l:start = reltime()
  while reltimefloat(reltime(l:start)) < 20
    let l:now = json_encode(s:Diags(a:buf))
    if l:now isnot# l:last | let l:last = l:now | let l:since = reltime() | endif
    if a:Pred(s:Diags(a:buf)) && reltimefloat(reltime(l:since)) >= 1.0
      call s:Note(a:what . ' settled')
      return s:Diags(a:buf)
    endif
    sleep 50m
  endwhile
  call s:Note(a:what . ' timed out')
  return s:Diags(a:buf)
endfunction
function! s:OnHover(response) abort
  let l:c = get(get(a:response, 'result', {}) is v:null ? {} : get(a:response, 'result', {}), 'contents', '')
  let s:result.hover = type(l:c) == v:t_dict ? get(l:c, 'value', '') : l:c
endfunction

try
  execute 'source ' . fnameescape($DZ_CONFIG)
  execute 'edit ' . fnameescape($DZ_ZONE)
  let s:buf = bufnr('%')
  let s:result.filetype = &filetype
  call s:Note('opened as ' . &filetype)
  ALELint
  let s:result.before = s:Settle('diagnostics after opening', s:buf, {ds -> len(ds) > 0})
  let s:result.client = 'ale'
  call ale#lsp_linter#SendRequest(s:buf, 'dane-zone', ale#lsp#message#Hover(s:buf, str2nr($DZ_HOVER_LINE) + 1, str2nr($DZ_HOVER_CHAR) + 1), function('s:OnHover'))
  let s:t = reltime()
  while !has_key(s:result, 'hover') && reltimefloat(reltime(s:t)) < 9
    sleep 50m
  endwhile
  call setline(str2nr($DZ_FIX_LINE) + 1, $DZ_FIX_TEXT)
  ALELint
  let s:result.after = s:Settle('diagnostics after the fix', s:buf, {ds -> !s:Has(ds, $DZ_FIX_CODE)})
  ALEStopAllLSPs
catch
  let s:result.error = v:exception . ' at ' . v:throwpoint
endtry
call writefile([json_encode(s:result)], $DZ_OUT)
if has_key(s:result, 'error') | cquit 3 | else | qall! | endif
