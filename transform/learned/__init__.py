"""The learned sentiment classifier: features, the artifact format (no pickle) and its training.

`features` and `artifact` need only numpy/scipy (inference); `training` needs scikit-learn and is
imported by `ecoute train sentiment` alone.
"""
