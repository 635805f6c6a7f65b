;;; emacs-driver.el --- driven by editors.test.ts: `emacs --batch -l emacs-driver.el`  -*- lexical-binding: t -*-
;; Loads the README's Emacs configuration (DZ_CONFIG) unchanged, opens the zone (DZ_ZONE) so that
;; eglot connects, waits for the diagnostics to settle, asks for a hover, fixes one line, waits
;; again, and writes what it saw as JSON to DZ_OUT. The assertions are in editors.test.ts.
;; Batch mode has no idle timers: after an edit the driver sends didChange and starts Flymake itself.
(require 'json)
(require 'cl-lib)
(defvar dz-result (list (cons 'steps [])))
(defun dz-put (key val) (setf (alist-get key dz-result) val))
(defun dz-note (s) (dz-put 'steps (vconcat (alist-get 'steps dz-result) (list s))))
(defun dz-wait (seconds pred)
  "Spin the event loop until PRED or SECONDS pass; non-nil when PRED held."
  (let ((end (+ (float-time) seconds)) done)
    (while (and (not (setq done (funcall pred))) (< (float-time) end))
      (accept-process-output nil 0.05))
    done))
(defun dz-diags ()
  (sort
   (mapcar (lambda (d)
             (let ((spec (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d))))
               (save-excursion
                 (goto-char (flymake-diagnostic-beg d))
                 (list (cons 'code (plist-get spec :code))
                       (cons 'line (1- (line-number-at-pos)))
                       (cons 'col (current-column))
                       (cons 'severity (plist-get spec :severity))))))
           (flymake-diagnostics))
   (lambda (a b) (< (+ (* 1000 (alist-get 'line a)) (alist-get 'col a))
                    (+ (* 1000 (alist-get 'line b)) (alist-get 'col b))))))
(defun dz-settle (what pred)
  "Wait until PRED holds on the diagnostics and they stayed the same for a second."
  (let ((last nil) (since (float-time)))
    (dz-note (format "%s %s" what
                     (if (dz-wait 20 (lambda ()
                                       (flymake-start)
                                       (let ((now (dz-diags)))
                                         (unless (equal now last) (setq last now since (float-time)))
                                         (and (funcall pred now) (>= (- (float-time) since) 1.0)))))
                         "settled" "timed out")))
    (dz-diags)))
(defun dz-has (ds code) (cl-some (lambda (d) (equal (alist-get 'code d) code)) ds))

(condition-case err
    (progn
      (load (getenv "DZ_CONFIG") nil t)
      (find-file (getenv "DZ_ZONE"))
      (dz-put 'mode (symbol-name major-mode))
      (run-hooks 'post-command-hook) ; makes eglot-ensure connect
      (dz-note (format "opened in %s" major-mode))
      (dz-wait 20 (lambda () (eglot-current-server)))
      (dz-put 'client (if (eglot-current-server) "eglot" "none"))
      (dz-put 'before (dz-settle "diagnostics after opening" (lambda (ds) (> (length ds) 0))))
      (save-excursion
        (goto-char (point-min))
        (forward-line (string-to-number (getenv "DZ_HOVER_LINE")))
        (forward-char (string-to-number (getenv "DZ_HOVER_CHAR")))
        (let* ((h (jsonrpc-request (eglot-current-server) :textDocument/hover (eglot--TextDocumentPositionParams)))
               (c (plist-get h :contents)))
          (dz-put 'hover (if (stringp c) c (plist-get c :value)))))
      (goto-char (point-min))
      (forward-line (string-to-number (getenv "DZ_FIX_LINE")))
      (delete-region (line-beginning-position) (line-end-position))
      (insert (getenv "DZ_FIX_TEXT"))
      (eglot--signal-textDocument/didChange)
      (let ((code (getenv "DZ_FIX_CODE")))
        (dz-put 'after (dz-settle "diagnostics after the fix" (lambda (ds) (not (dz-has ds code))))))
      (set-buffer-modified-p nil)
      (ignore-errors (eglot-shutdown (eglot-current-server))))
  (error (dz-put 'error (format "%S" err))))
(with-temp-file (getenv "DZ_OUT") (insert (json-encode dz-result)))
(kill-emacs (if (alist-get 'error dz-result) 3 0))
