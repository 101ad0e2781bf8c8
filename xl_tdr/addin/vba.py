"""VBA source and ribbon XML of the add-in: ribbon callbacks, the start-up check, one wrapper
per worksheet function and the function-wizard registration (the shape xlwings' own "Import
Functions" writes).

Every VBA string is kept in the project's code page (1252): VBA stores source as ANSI, so a
character outside it (``−``, ``→``) would reach Excel as ``?``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import DOCS_URL
from ..errors import TemplateError

PROJECT_NAME = "xl_tdr"
RIBBON_MODULE = "xl_tdr_ribbon"
UDF_MODULE = "xl_tdr_udfs"
PYTHON_UDF_MODULE = "xl_tdr.udfs"
CATEGORY = "xl_tdr"
CODE_PAGE = "cp1252"
#: The ribbon's namespace (Office 2010+) and the package relationship type that goes with it;
#: the 2006/01 namespace would need the 2006 relationship type.
CUSTOM_UI_NAMESPACE = "http://schemas.microsoft.com/office/2009/07/customui"
CUSTOM_UI_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
DOCTOR_HINT = "Open a Command Prompt and run:  xl-tdr doctor"

_LOOK_ALIKES = str.maketrans({"−": "-", "–": "-", "—": "-", "→": "->", "’": "'", "“": '"', "”": '"'})


def vba_text(text: str) -> str:
    """``text`` in the VBA project's code page (look-alikes for the rest); a character that has
    none is a build error, never a silent ``?``."""
    text = text.translate(_LOOK_ALIKES)
    try:
        text.encode(CODE_PAGE)
    except UnicodeEncodeError as exc:
        raise TemplateError(f"the add-in text {text[:60]!r} has {exc.object[exc.start]!r}, "
                            f"which VBA cannot store in code page 1252") from None
    return text


def _quote(text: str) -> str:
    return '"' + vba_text(text).replace('"', '""') + '"'


@dataclass(frozen=True)
class Button:
    id: str
    label: str
    image: str       # an Office imageMso
    size: str
    tip: str
    callback: str               # the VBA Sub the ribbon calls
    action: str | None = None   # a Python function of xl_tdr.addin; None: the callback is VBA only


BUTTONS = (
    Button("tdrRefresh", "Refresh data", "Refresh", "large",
           "Update the data from the U.S. Census Bureau, and the open xl_tdr report", "RefreshData", "refresh_data"),
    Button("tdrNewReport", "New report", "ChartInsert", "normal",
           "Build the TDR report workbook from the current data and open it", "NewReport", "new_report"),
    Button("tdrExportChart", "Export chart", "PictureInsertFromFile", "normal",
           "Save the chart of this report's partners as a PNG image beside the report, ready to publish",
           "ExportChart", "export_chart"),
    Button("tdrInfo", "Data info", "Info", "normal",
           "Where the data come from: source, vintage, latest month, store location", "DataInfo", "data_info"),
    Button("tdrHelp", "Help", "Help", "normal",
           "The xl_tdr documentation, and what to run when something does not work", "ShowHelp"),
)

#: The guard before every RunPython: xlwings' RunPython reads ActiveWorkbook, which is Nothing
#: when no workbook is open (VBA error 91). A blank workbook stands in and is closed afterwards.
_GUARD = ["Private Function StandInWorkbook() As Workbook",
          "    ' xlwings' RunPython reads ActiveWorkbook: with no workbook open it would stop on error 91",
          "    If ActiveWorkbook Is Nothing Then Set StandInWorkbook = Workbooks.Add",
          "End Function", ""]

#: Every Python button runs through one Sub: the calling workbook's name is passed on (the book
#: whose window the ribbon was clicked in: ``control.Context``), and an error before Python runs
#: (xlwings' RunPython calls XLPy — the DLL, the COM server — before its own error handler) is one
#: message naming ``xl-tdr doctor``, never VBA's End/Debug dialog; the stand-in is closed either way.
_RUN_ACTION = [
    "Private Sub RunAction(action As String, control As IRibbonControl)",
    "    Dim standIn As Workbook, bookName As String",
    "    On Error GoTo failed",
    "    bookName = CallingBookName(control)",
    "    Set standIn = StandInWorkbook()",
    '    RunPython "import xl_tdr.addin; xl_tdr.addin." & action & "(" & PythonString(bookName) & ")"',
    "done:",
    "    On Error Resume Next",
    "    If Not standIn Is Nothing Then standIn.Close SaveChanges:=False",
    "    Exit Sub",
    "failed:",
    "    PythonFailed Err.Description",
    "    Resume done",
    "End Sub", "",
    "Private Function CallingBookName(control As IRibbonControl) As String",
    "    ' The workbook whose window the button was clicked in; \"\" for none (a Protected View window, no book open)",
    "    On Error Resume Next",
    '    If TypeName(control.Context) = "Window" Then CallingBookName = control.Context.Parent.Name',
    "End Function", "",
    "Private Function PythonString(text As String) As String",
    "    ' text as a Python string literal (a file name has no double quote, but may have ' or \\)",
    "    PythonString = \"'\" & Replace(Replace(text, \"\\\", \"\\\\\"), \"'\", \"\\'\") & \"'\"",
    "End Function", "",
]


def _python_failed() -> list[str]:
    message = ("xl_tdr could not run Python:" + '" & vbLf & description & vbLf & vbLf & "' + DOCTOR_HINT
               + '" & vbLf & "' + "(it starts the configured Python and says what to fix)")
    return ["Private Sub PythonFailed(description As String)",
            "    Application.StatusBar = False",
            f'    MsgBox "{vba_text(message)}", vbExclamation, "xl_tdr"',
            "End Sub", ""]


def _python_callback(button: Button) -> list[str]:
    return [f"Sub {button.callback}(control As IRibbonControl)",
            f'    RunAction "{button.action}", control',
            "End Sub", ""]


def _help_callback(button: Button) -> list[str]:
    """Help works when Python does not: it is the button a user presses when nothing else works."""
    message = ("The documentation opens in your browser." + '" & vbLf & vbLf & "'
               + "If the TDR functions show errors or the buttons do nothing:" + '" & vbLf & "' + DOCTOR_HINT)
    return [f"Sub {button.callback}(control As IRibbonControl)",
            "    On Error Resume Next",
            f"    ThisWorkbook.FollowHyperlink {_quote(DOCS_URL)}",
            f'    MsgBox "{vba_text(message)}", vbInformation, "xl_tdr"',
            "End Sub", ""]


#: The start-up check's Python in a conda environment, found as xlwings finds it.
_CONDA_PYTHON = [
    '    If condaPath <> "" And condaEnv <> "" And (python = "" Or python = "python" Or python = "pythonw") Then',
    '        If condaEnv = "base" Then',
    '            python = condaPath & "\\pythonw.exe"',
    '        ElseIf InStr(condaEnv, "\\") > 0 Then',
    '            python = condaEnv & "\\pythonw.exe"',
    "        Else",
    '            python = condaPath & "\\envs\\" & condaEnv & "\\pythonw.exe"',
    "        End If",
    "    End If"]


def _setup_check(xlwings_version: str) -> list[str]:
    """Workbook_Open's check that the configured Python exists and has the xlwings DLL this add-in
    declares (where xlwings looks: beside it or one folder up); otherwise one message saying what
    to run. It reads the user's config file only (``source:="user"``): at start-up no workbook is
    open, and xlwings' other sources read the active workbook (error 91)."""
    install = '"Open a Command Prompt and run:  xl-tdr addin install"'
    return ["Public Sub CheckSetup()",
            f"    ' The add-in calls the DLL of xlwings {xlwings_version}: it must sit next to the configured Python",
            "#If Mac Then",
            "    Exit Sub",
            "#Else",
            "    Dim python As String, condaPath As String, condaEnv As String, folder As String, dll As String",
            "    On Error GoTo done",
            "    #If Win64 Then",
            f'        dll = "xlwings64-{xlwings_version}.dll"',
            "    #Else",
            f'        dll = "xlwings32-{xlwings_version}.dll"',
            "    #End If",
            '    python = GetConfig("INTERPRETER_WIN", "", "user")',
            '    condaPath = GetConfig("CONDA PATH", "", "user")',
            '    condaEnv = GetConfig("CONDA ENV", "", "user")',
            *_CONDA_PYTHON,
            '    If python = "" Then',
            '        MsgBox "xl_tdr does not know which Python to run: %USERPROFILE%\\.xl_tdr\\xl_tdr.conf is missing or names none." & vbLf & vbLf & '
            f'{install}, vbExclamation, "xl_tdr"',
            "        Exit Sub",
            "    End If",
            '    If InStr(python, "\\") = 0 Then Exit Sub',
            '    If Dir(python) = "" Then',
            '        MsgBox "The Python that xl_tdr is set to use does not exist:" & vbLf & python & vbLf & vbLf & '
            f'{install}, vbExclamation, "xl_tdr"',
            "        Exit Sub",
            "    End If",
            '    folder = Left$(python, InStrRev(python, "\\") - 1)',
            '    If Dir(folder & "\\" & dll) <> "" Then Exit Sub',
            '    If InStrRev(folder, "\\") > 0 Then',
            '        If Dir(Left$(folder, InStrRev(folder, "\\") - 1) & "\\" & dll) <> "" Then Exit Sub',
            "    End If",
            f'    MsgBox "This add-in was built for xlwings {xlwings_version}, which is not installed in" & vbLf & python '
            f'& vbLf & vbLf & {install} & vbLf & '
            f'"({vba_text("xl-tdr doctor checks the whole setup")})", vbExclamation, "xl_tdr"',
            "done:",
            "#End If",
            "End Sub", ""]


def ribbon_module(xlwings_version: str, version: str = "") -> str:
    """The ribbon's callbacks (each through RunAction: the guard, the calling book, the error
    message), the start-up check, and the xl_tdr version that built the add-in (doctor reads it)."""
    lines = [f'Attribute VB_Name = "{RIBBON_MODULE}"',
             "' xl_tdr ribbon callbacks - generated by `xl-tdr addin build`; changes are lost on rebuild.",
             "Option Explicit", "",
             f'Public Const XL_TDR_VERSION As String = "{vba_text(version)}"', "",
             *_GUARD, *_RUN_ACTION, *_python_failed()]
    for button in BUTTONS:
        lines += _python_callback(button) if button.action else _help_callback(button)
    lines += _setup_check(xlwings_version)
    return "\r\n".join(lines)


def udf_module(specs) -> str:
    """One VBA function per worksheet function, calling xlwings' XLPy.CallUDF, plus the
    registration of descriptions for Excel's function wizard."""
    lines = [f'Attribute VB_Name = "{UDF_MODULE}"',
             "' xl_tdr worksheet functions - generated by `xl-tdr addin build`; changes are lost on rebuild.",
             "#Const App = \"Microsoft Excel\" 'Adjust when using outside of Excel", ""]
    for spec in specs:
        lines += _wrapper(spec)
    lines += _registration(specs)
    return "\r\n".join(lines)


def _wrapper(spec) -> list[str]:
    signature = ", ".join(("Optional " if optional else "") + name for name, _, optional in spec.args)
    args = f"Array({', '.join(name for name, _, _ in spec.args)})"
    call = f'XLPy.CallUDF("{PYTHON_UDF_MODULE}", "{spec.name}", {args}'
    return [f"Function {spec.name}({signature})",
            '    #If App = "Microsoft Excel" Then',
            "        If TypeOf Application.Caller Is Range Then On Error GoTo failed",
            f"        {spec.name} = {call}, ActiveWorkbook, Application.Caller)",
            "        Exit Function",
            "    #Else",
            f"        {spec.name} = {call})",
            "        Exit Function",
            "    #End If",
            "failed:",
            f"    {spec.name} = Err.Description",
            "End Function", ""]


def _registration(specs) -> list[str]:
    """Names qualified with the add-in's name (as xlwings does). Excel refuses ``MacroOptions`` on
    a hidden workbook (error 1004), and an add-in is hidden: it is shown as a workbook for the calls
    (screen not redrawn), hidden again and marked saved (no "save changes?" on exit). A refusal is
    shown on the status bar and cleared 15 seconds later."""
    lines = ["Sub RegisterFunctions()",
             "    ' Descriptions and argument help for Excel's function wizard (category xl_tdr)",
             "    Dim wasAddin As Boolean, redraw As Boolean, refusal As String",
             "    On Error GoTo failed",
             "    redraw = Application.ScreenUpdating",
             "    wasAddin = ThisWorkbook.IsAddin",
             "    Application.ScreenUpdating = False",
             "    ThisWorkbook.IsAddin = False"]
    for spec in specs:
        helps = ", ".join(_quote(help_text[:255]) for _, help_text, _ in spec.args)
        lines.append(f"    Application.MacroOptions Macro:=\"'\" & ThisWorkbook.Name & \"'!{spec.name}\", "
                     f"Description:={_quote(spec.description[:255])}, Category:={_quote(CATEGORY)}"
                     + (f", ArgumentDescriptions:=Array({helps})" if spec.args else ""))
    lines += ["restore:",
              "    On Error Resume Next",
              "    ThisWorkbook.IsAddin = wasAddin",
              "    ThisWorkbook.Saved = True",
              "    Application.ScreenUpdating = redraw",
              '    If refusal <> "" Then',
              '        Application.StatusBar = "xl_tdr: Excel refused the function descriptions (" & refusal & '
              f'"); the functions still work. {DOCTOR_HINT}"',
              f"        Application.OnTime Now + TimeSerial(0, 0, 15), \"'\" & ThisWorkbook.Name & \"'!{UDF_MODULE}.ClearStatus\"",
              "    End If",
              "    Exit Sub",
              "failed:",
              "    refusal = Err.Description",
              "    Resume restore",
              "End Sub", "",
              "Sub ClearStatus()",
              "    ' Clears the status bar if it still shows an xl_tdr message",
              "    On Error Resume Next",
              '    If Left$(CStr(Application.StatusBar), 7) = "xl_tdr:" Then Application.StatusBar = False',
              "End Sub", ""]
    return lines


WORKBOOK_OPEN = "\r\n".join(["Private Sub Workbook_Open()",
                             f"    {RIBBON_MODULE}.CheckSetup",
                             f"    {UDF_MODULE}.RegisterFunctions", "End Sub", ""])


def custom_ui() -> str:
    """The ribbon: a TDR tab with the "Trade data" group."""
    buttons = "\n".join(
        f'          <button id="{b.id}" label="{b.label}" size="{b.size}" imageMso="{b.image}" '
        f'screentip="{b.label}" supertip="{b.tip}" onAction="{RIBBON_MODULE}.{b.callback}" />'
        for b in BUTTONS)
    return (f'<customUI xmlns="{CUSTOM_UI_NAMESPACE}">\n'
            "  <ribbon>\n    <tabs>\n"
            '      <tab id="xlTdrTab" label="TDR">\n'
            '        <group id="xlTdrTradeData" label="Trade data">\n'
            f"{buttons}\n"
            "        </group>\n      </tab>\n    </tabs>\n  </ribbon>\n</customUI>\n")
