@echo off
rem Launcher to register in ShogiGUI, ShogiHome or Shogidokoro on Windows. Run "npm ci" once first.
node "%~dp0usi-engine.js" %*
