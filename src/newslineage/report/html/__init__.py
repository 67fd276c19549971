"""The HTML report: stories, lineage graphs, articles beside their sources, outlets.

Four pure page renderers (the static report and the web app serve the same pages) over a
:class:`~newslineage.readmodel.ReadModel` snapshot of the store, and :func:`write_report`,
which writes them as a static site that opens from disk: CSS is inlined, graphs are computed
inline SVG, nothing is fetched and JavaScript is never needed. Every string that came from an
input is escaped; links from inputs are only made clickable when they are http(s).

Where things are: ``shell`` (page frame, links, formatting, kind colours), ``graph`` (the
SVG lineage graph and timeline), one module per page (``index``, ``story``, ``article``,
``outlets``) and ``site`` (the static site). A new page is a module with a ``render_*``
function over the read model, added to ``site.write_report`` and the web app's routes.

>>> from newslineage.readmodel import ReadModel
>>> from newslineage.store import open_store
>>> page = render_index(ReadModel.from_store(open_store(":memory:")))
>>> "No stories yet" in page
True
"""

from .article import render_article
from .graph import lineage_svg, time_units, timeline_svg
from .index import render_index
from .outlets import render_outlets
from .shell import KIND_STYLES, Links
from .site import write_report
from .story import render_story

__all__ = [
    "KIND_STYLES",
    "Links",
    "lineage_svg",
    "render_article",
    "render_index",
    "render_outlets",
    "render_story",
    "time_units",
    "timeline_svg",
    "write_report",
]
