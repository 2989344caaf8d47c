@echo off
rem order-stager: the Order Stager command line, i.e. the installed app started with --cli (no window).
rem Run from a .cmd, cmd.exe waits for the app and ERRORLEVEL is its exit status (0 ok, 1 failed or
rem needs review, 2 usage); the output goes to the console or wherever it is redirected.
"%~dp0..\..\Order Stager.exe" --cli %*
exit /b %ERRORLEVEL%
