"""Serves the builder-built JupyterLab test app (build.mjs) with Debian's jupyterlab_server on jupyter_server (test use only).

Usage: python3 serve.py APP_DIR [jupyter_server options such as --ServerApp.port=N]
Federated extensions are looked up where JupyterLab looks: jupyter_path("labextensions") (JUPYTER_PATH first).
"""
import os
import sys

from jupyter_core.paths import jupyter_path
from jupyterlab_server import LabServerApp


class GradlabTestLab(LabServerApp):
    name = "lab"
    app_name = "JupyterLab"
    load_other_extensions = False


def _jupyter_server_extension_points():
    # Lets jupyter_server find the app when this file runs as __main__.
    return [{"module": "__main__", "app": GradlabTestLab}]


def main():
    app_dir = os.path.abspath(sys.argv[1])
    GradlabTestLab.static_dir = os.path.join(app_dir, "static")
    GradlabTestLab.templates_dir = os.path.join(app_dir, "templates")
    GradlabTestLab.schemas_dir = os.path.join(app_dir, "schemas")
    GradlabTestLab.themes_dir = os.path.join(app_dir, "themes")
    GradlabTestLab.app_settings_dir = os.path.join(app_dir, "settings")
    GradlabTestLab.user_settings_dir = os.path.join(app_dir, "user-settings")
    GradlabTestLab.workspaces_dir = os.path.join(app_dir, "workspaces")
    GradlabTestLab.labextensions_path = jupyter_path("labextensions")
    GradlabTestLab.launch_instance(argv=sys.argv[2:])


if __name__ == "__main__":
    main()
