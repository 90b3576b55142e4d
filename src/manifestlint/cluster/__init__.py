"""The whole-input model that cluster-wide rules read: namespaces, workloads, network policies, RBAC.

``model_for(docs, scope)`` builds (once per run) a ``ClusterModel`` over every document of the run;
``selectors``, ``calico_selectors``, ``cidr``, ``netpol``, ``rbac`` and ``pss`` hold the semantics
(label selectors, Calico selector expressions, CIDR arithmetic, network policies of every flavour,
RBAC resolution, Pod Security Standards).
"""

from manifestlint.cluster.model import CLUSTER, ClusterModel, model_for

__all__ = ["CLUSTER", "ClusterModel", "model_for"]
